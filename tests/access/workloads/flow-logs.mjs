// The VPC flow-log role: delivers to its own log group only
// (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html).
import { allowed, environmentStacks, refused, roleByArn } from '../lib/cases.mjs'

export function cases(stacks) {
  const out = []
  for (const stack of environmentStacks(stacks)) {
    for (const { id, body } of stack.resources('aws_flow_log')) {
      const flow = stack.resolveDeep(body)
      if (!flow.iam_role_arn) continue
      const role = roleByArn(stack, flow.iam_role_arn)
      const source = stack.path('aws_flow_log', id)
      const stream = `${flow.log_destination}:log-stream:eni-0123456789abcdef0-all`
      out.push(...allowed(role, 'VPC flow logs', source, ['CreateLogStream', 'PutLogEvents', 'DescribeLogStreams'].map((a) => ({ action: `logs:${a}`, resource: stream }))))
      out.push(...refused(role, 'VPC flow logs', source, [
        { action: 'logs:PutLogEvents', resource: `arn:aws:logs:${stack.region}:${stack.account}:log-group:/aws/lambda/${stack.name}-forged:log-stream:x`, note: 'write into another log group' },
        { action: 'logs:DeleteLogGroup', resource: flow.log_destination, note: 'delete its log group' },
      ]))
    }
  }
  return out
}
