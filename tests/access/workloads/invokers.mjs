// Roles that EventBridge Scheduler and EventBridge rules assume to start their target: the retraining schedule, the
// nightly cleanup and the drift alarm's retraining rule may start exactly their target, nothing else
// (https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html#setting-up-execution-role,
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html).
import { allowed, environmentStacks, refused, roleByArn } from '../lib/cases.mjs'

const start = (arn) => (arn.includes(':states:') ? { action: 'states:StartExecution', resource: arn } : { action: 'lambda:InvokeFunction', resource: arn })

export function cases(stacks) {
  const out = []
  for (const stack of environmentStacks(stacks)) {
    const targets = [
      ...stack.resources('aws_scheduler_schedule').map(({ id, body }) => {
        const s = stack.resolveDeep(body)
        return { id, type: 'aws_scheduler_schedule', arn: s.target.arn, role: s.target.role_arn, workload: `schedule ${s.name}` }
      }),
      ...stack.resources('aws_cloudwatch_event_target').filter(({ body }) => body.role_arn).map(({ id, body }) => {
        const t = stack.resolveDeep(body)
        return { id, type: 'aws_cloudwatch_event_target', arn: t.arn, role: t.role_arn, workload: `rule ${t.rule}` }
      }),
    ]
    for (const t of targets) {
      const role = roleByArn(stack, t.role)
      const source = stack.path(t.type, t.id)
      out.push(...allowed(role, t.workload, source, [start(t.arn)]))
      const other = t.arn.includes(':states:')
        ? [{ action: 'states:StartExecution', resource: `arn:aws:states:${stack.region}:${stack.account}:stateMachine:another-pipeline`, note: 'start another state machine' },
           { action: 'states:StopExecution', resource: `${t.arn.replace(':stateMachine:', ':execution:')}:run-1`, note: 'stop a run' }]
        : [{ action: 'lambda:InvokeFunction', resource: `arn:aws:lambda:${stack.region}:${stack.account}:function:another-function`, note: 'invoke another function' },
           { action: 'lambda:UpdateFunctionCode', resource: t.arn, note: 'change the code it runs' }]
      out.push(...refused(role, t.workload, source, other))
    }
  }
  return out
}
