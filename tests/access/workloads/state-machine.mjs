// The training pipeline's role: for every Task state, the calls Step Functions makes for that integration, as the
// Step Functions developer guide lists them per service ("IAM policies for integrated services",
// https://docs.aws.amazon.com/step-functions/latest/dg/service-integration-iam-templates.html), .sync included;
// plus execution logging and tracing from the state machine's own configuration.
import { allowed, environmentStacks, refused, roleByArn } from '../lib/cases.mjs'
import { kmsUse } from '../lib/requests.mjs'
import { stateMachines, trainingJobPrefix } from './pipeline-definition.mjs'

/** What one Task state needs, by its Resource. */
function integration(stack, name, state) {
  const p = state.Parameters ?? {}
  const arn = (service, resource) => `arn:aws:${service}:${stack.region}:${stack.account}:${resource}`
  const r = state.Resource
  if (r === 'arn:aws:states:::lambda:invoke' || r === 'arn:aws:states:::lambda:invoke.waitForTaskToken') {
    return [{ action: 'lambda:InvokeFunction', resource: p.FunctionName }]
  }
  const glue = r.match(/^arn:aws:states:::glue:startJobRun(\.sync)?$/)
  if (glue) {
    const job = arn('glue', `job/${p.JobName}`)
    return [{ action: 'glue:StartJobRun', resource: job }, ...(glue[1] ? ['GetJobRun', 'GetJobRuns', 'BatchStopJobRun'].map((a) => ({ action: `glue:${a}`, resource: job })) : [])]
  }
  const training = r.match(/^arn:aws:states:::sagemaker:createTrainingJob(\.sync)?$/)
  if (training) {
    const job = arn('sagemaker', `training-job/${trainingJobPrefix(stack)}run-1`)
    const create = { action: 'sagemaker:CreateTrainingJob', resource: job, context: p.VpcConfig ? { 'sagemaker:VpcSubnets': p.VpcConfig.Subnets } : {} }
    const pass = { action: 'iam:PassRole', resource: p.RoleArn, context: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } }
    const sync = training[1]
      ? [
          { action: 'sagemaker:DescribeTrainingJob', resource: job },
          { action: 'sagemaker:StopTrainingJob', resource: job },
          ...['PutTargets', 'PutRule', 'DescribeRule'].map((a) => ({ action: `events:${a}`, resource: arn('events', 'rule/StepFunctionsGetEventsForSageMakerTrainingJobsRule') })),
        ]
      : []
    return [create, pass, ...sync]
  }
  if (r === 'arn:aws:states:::sagemaker:createModel') {
    return [
      { action: 'sagemaker:CreateModel', resource: arn('sagemaker', `model/${trainingJobPrefix(stack)}run-1`), context: p.VpcConfig ? { 'sagemaker:VpcSubnets': p.VpcConfig.Subnets } : {} },
      { action: 'iam:PassRole', resource: p.ExecutionRoleArn, context: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    ]
  }
  const transform = r.match(/^arn:aws:states:::sagemaker:createTransformJob(\.sync)?$/)
  if (transform) {
    const job = arn('sagemaker', `transform-job/${trainingJobPrefix(stack)}run-1`)
    return [
      { action: 'sagemaker:CreateTransformJob', resource: job },
      { action: 'sagemaker:AddTags', resource: job },
      ...(transform[1]
        ? [
            { action: 'sagemaker:DescribeTransformJob', resource: job },
            { action: 'sagemaker:StopTransformJob', resource: job },
            ...['PutTargets', 'PutRule', 'DescribeRule'].map((a) => ({ action: `events:${a}`, resource: arn('events', 'rule/StepFunctionsGetEventsForSageMakerTransformJobsRule') })),
          ]
        : []),
    ]
  }
  if (r === 'arn:aws:states:::aws-sdk:sagemaker:deleteModel') {
    return [{ action: 'sagemaker:DeleteModel', resource: arn('sagemaker', `model/${trainingJobPrefix(stack)}run-1`) }]
  }
  if (r === 'arn:aws:states:::aws-sdk:sagemaker:createModelPackage') {
    return [{ action: 'sagemaker:CreateModelPackage', resource: arn('sagemaker', `model-package/${p.ModelPackageGroupName.toLowerCase()}/1`) }]
  }
  if (r === 'arn:aws:states:::sns:publish') {
    const topic = stack.resources('aws_sns_topic').map((t) => stack.resolveDeep(t.body)).find((t) => p.TopicArn.endsWith(`:${t.name}`))
    // Publishing to an SSE-KMS topic needs the publisher to use its key
    // (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#sns-what-permissions-for-sse).
    return [{ action: 'sns:Publish', resource: p.TopicArn }, ...(topic?.kms_master_key_id ? kmsUse(topic.kms_master_key_id, ['kms:GenerateDataKey', 'kms:Decrypt']) : [])]
  }
  throw new Error(`${stack.name}: state ${name} uses ${r}, which the access simulation does not model yet; add it from the Step Functions IAM templates`)
}

export function cases(stacks) {
  const out = []
  for (const stack of environmentStacks(stacks)) {
    for (const sm of stateMachines(stack)) {
      const role = roleByArn(stack, sm.machine.role_arn)
      const workload = `state machine ${sm.machine.name}`
      for (const [name, state] of sm.states) {
        if (state.Type !== 'Task') continue
        out.push(...allowed(role, workload, `${sm.path} state ${name}`, integration(stack, name, state)))
      }
      if (sm.machine.logging_configuration) {
        // https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html#cloudwatch-iam-policy
        out.push(...allowed(role, workload, `${sm.path} logging`, ['CreateLogDelivery', 'GetLogDelivery', 'UpdateLogDelivery', 'ListLogDeliveries', 'PutResourcePolicy', 'DescribeResourcePolicies', 'DescribeLogGroups']
          .map((a) => ({ action: `logs:${a}`, resource: '*' }))))
      }
      if (sm.machine.tracing_configuration?.enabled) {
        out.push(...allowed(role, workload, `${sm.path} tracing`, ['PutTraceSegments', 'PutTelemetryRecords', 'GetSamplingRules', 'GetSamplingTargets'].map((a) => ({ action: `xray:${a}`, resource: '*' }))))
      }
      const train = sm.states.find(([, s]) => /createTrainingJob/.test(s.Resource ?? ''))?.[1]
      const job = `arn:aws:sagemaker:${stack.region}:${stack.account}:training-job/${trainingJobPrefix(stack)}run-2`
      const otherRole = stack.roles().find((r) => r.arn !== train?.Parameters.RoleArn && r.arn !== role.arn)
      out.push(...refused(role, workload, `${sm.path} (must not)`, [
        { action: 'sagemaker:CreateTrainingJob', resource: job, note: 'a job without VPC configuration (SageMaker VPC guard)' },
        { action: 'sagemaker:CreateTrainingJob', resource: job, context: { 'sagemaker:VpcSubnets': ['subnet-0aaaaaaaaaaaaaaaa'] }, note: 'a job in a subnet outside the platform (SageMaker VPC guard)' },
        { action: 'sagemaker:CreateTrainingJob', resource: `arn:aws:sagemaker:${stack.region}:${stack.account}:training-job/other-team-job`, context: train ? { 'sagemaker:VpcSubnets': train.Parameters.VpcConfig.Subnets } : {}, note: 'a job outside its name prefix' },
        { action: 'iam:PassRole', resource: otherRole.arn, context: { 'iam:PassedToService': 'sagemaker.amazonaws.com' }, note: `pass ${otherRole.name} to SageMaker` },
        { action: 'sagemaker:CreateModelPackage', resource: `arn:aws:sagemaker:${stack.region}:${stack.account}:model-package/another-group/1`, note: 'register into a group it does not own' },
        { action: 'sagemaker:DeleteModel', resource: `arn:aws:sagemaker:${stack.region}:${stack.account}:model/mlopstf-${stack.name}-churn-1-1-0-0f8fad`, note: 'delete a deployed model' },
        { action: 's3:GetObject', resource: `${stack.buckets().find((b) => b.id.startsWith('data-bucket')).arn}/raw/customers.csv`, note: 'read data itself' },
      ]))
    }
  }
  return out
}
