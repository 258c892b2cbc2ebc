// Deployed models, the drift monitor and the model quality monitor, as SageMaker runs them with their execution role:
// the image, the model archive, the endpoint's captured data, the monitoring jobs' inputs (baselines, ground truth)
// and reports
// (https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html#sagemaker-roles-createmodel-perms,
// https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture.html).
import { allowed, environmentStacks, refused, roleByArn } from '../lib/cases.mjs'
import { ecrPull, kmsUse, s3Read, s3Uri, s3Write, vpcInterfaces } from '../lib/requests.mjs'

export function cases(stacks) {
  const out = []
  for (const stack of environmentStacks(stacks)) {
    const models = stack.resources('aws_sagemaker_model').map(({ id, body }) => ({ id, model: stack.resolveDeep(body) }))
    for (const { id, model } of models) {
      const role = roleByArn(stack, model.execution_role_arn)
      const source = stack.path('aws_sagemaker_model', id)
      const workload = 'deployed model'
      const archive = s3Uri(model.primary_container.model_data_url)
      const need = [...ecrPull(model.primary_container.image), ...s3Read(stacks, archive.bucket, archive.key)]
      if (model.vpc_config) need.push(...vpcInterfaces(stack.region, stack.account, model.vpc_config.subnets))
      out.push(...allowed(role, workload, source, need.map((r) => ({ ...r, note: model.name }))))
      out.push(...refused(role, workload, source, [
        { action: 's3:PutObject', resource: `arn:aws:s3:::${archive.bucket}/${archive.key}`, context: { 's3:x-amz-server-side-encryption': 'aws:kms' }, note: `replace its own archive (${model.name})` },
      ]))
    }
    for (const { id, body } of stack.resources('aws_sagemaker_endpoint_configuration')) {
      const config = stack.resolveDeep(body)
      const capture = config.data_capture_config
      if (!capture?.enable_capture) continue
      const source = `${stack.path('aws_sagemaker_endpoint_configuration', id)} data capture`
      const dest = s3Uri(capture.destination_s3_uri)
      for (const variant of config.production_variants) {
        const model = models.find((m) => m.model.name === variant.model_name)?.model
        if (!model) throw new Error(`${stack.name}: ${config.name} serves ${variant.model_name}, which the stack does not declare`)
        const role = roleByArn(stack, model.execution_role_arn)
        out.push(...allowed(role, 'endpoint data capture', source, s3Write(stacks, dest.bucket, `${dest.key}/${variant.variant_name}/2026/12/04/10/capture.jsonl`, capture.kms_key_id)))
      }
    }
    for (const { id, body } of stack.resources('aws_sagemaker_endpoint_configuration')) {
      const config = stack.resolveDeep(body)
      const output = config.async_inference_config?.output_config
      if (!output) continue
      const source = `${stack.path('aws_sagemaker_endpoint_configuration', id)} asynchronous inference`
      const model = models.find((m) => m.model.name === config.production_variants[0].model_name)?.model
      const role = roleByArn(stack, model.execution_role_arn)
      const results = s3Uri(output.s3_output_path)
      const failures = s3Uri(output.s3_failure_path)
      const input = s3Uri(output.s3_output_path.replace(/output\/$/, 'input/'))
      const topicKey = (arn) => stack.resolveDeep(stack.resources('aws_sns_topic').find((t) => stack.resolveDeep(t.body).arn === arn || stack.resolveDeep(t.body).name === arn.split(':').pop()).body).kms_master_key_id
      const need = [
        ...s3Read(stacks, input.bucket, `${input.key}request-0001.csv`),
        ...s3Write(stacks, results.bucket, `${results.key}0f8fad5b.out`, output.kms_key_id),
        ...s3Write(stacks, failures.bucket, `${failures.key}0f8fad5b-error.out`, output.kms_key_id),
      ]
      for (const topic of [output.notification_config.success_topic, output.notification_config.error_topic]) {
        need.push({ action: 'sns:Publish', resource: topic }, ...kmsUse(topicKey(topic), ['kms:GenerateDataKey', 'kms:Decrypt']))
      }
      out.push(...allowed(role, 'asynchronous inference', source, need))
      out.push(...refused(role, 'asynchronous inference', source, [
        { action: 'sns:Publish', resource: `arn:aws:sns:${stack.region}:${stack.account}:mlopstf-${stack.name}-alerts`, note: 'publish to the alerts topic' },
      ]))
    }
    for (const { id, body } of stack.resources('aws_sagemaker_data_quality_job_definition')) {
      const job = stack.resolveDeep(body)
      const role = roleByArn(stack, job.role_arn)
      const source = stack.path('aws_sagemaker_data_quality_job_definition', id)
      const workload = 'drift monitoring job'
      const endpoint = job.data_quality_job_input.endpoint_input.endpoint_name
      const captured = stack.resources('aws_sagemaker_endpoint_configuration').map((c) => stack.resolveDeep(c.body))
        .map((c) => c.data_capture_config?.destination_s3_uri).find((u) => u?.endsWith(`/${endpoint.replace(/^mlopstf-[a-z]+-/, '')}`))
      const need = []
      if (captured) {
        const c = s3Uri(captured)
        need.push(...s3Read(stacks, c.bucket, `${c.key}/AllTraffic/2026/12/04/10/capture.jsonl`))
      }
      for (const baseline of ['constraints_resource', 'statistics_resource']) {
        const uri = job.data_quality_baseline_config?.[baseline]?.s3_uri
        if (uri) need.push(...s3Read(stacks, s3Uri(uri).bucket, s3Uri(uri).key))
      }
      const report = s3Uri(job.data_quality_job_output_config.monitoring_outputs.s3_output.s3_uri)
      need.push(...s3Write(stacks, report.bucket, `${report.key}2026/12/04/10/constraint_violations.json`, job.data_quality_job_output_config.kms_key_id))
      need.push(...kmsUse(job.job_resources.cluster_config.volume_kms_key_id, ['kms:CreateGrant'], { 'kms:GrantIsForAWSResource': 'true' }))
      const vpc = job.network_config?.vpc_config
      if (vpc) need.push(...vpcInterfaces(stack.region, stack.account, vpc.subnets))
      need.push(...['CreateLogStream', 'PutLogEvents'].map((a) => ({ action: `logs:${a}`, resource: `arn:aws:logs:${stack.region}:${stack.account}:log-group:/aws/sagemaker/ProcessingJobs:log-stream:${job.name}/algo-1` })))
      out.push(...allowed(role, workload, source, need))
      out.push(...refused(role, workload, source, [
        { action: 's3:PutObject', resource: `arn:aws:s3:::${report.bucket}/raw/customers.csv`, context: { 's3:x-amz-server-side-encryption': 'aws:kms' }, note: 'write training data' },
      ]))
    }
    for (const { id, body } of stack.resources('aws_cloudformation_stack')) {
      const template = JSON.parse(stack.resolveDeep(body).template_body)
      for (const [name, resource] of Object.entries(template.Resources)) {
        if (resource.Type !== 'AWS::SageMaker::ModelQualityJobDefinition') continue
        const job = resource.Properties
        const role = roleByArn(stack, job.RoleArn)
        const source = `${stack.path('aws_cloudformation_stack', id)} ${name}`
        const workload = 'model quality monitoring job'
        const endpoint = job.ModelQualityJobInput.EndpointInput.EndpointName
        const captured = stack.resources('aws_sagemaker_endpoint_configuration').map((c) => stack.resolveDeep(c.body))
          .map((c) => c.data_capture_config?.destination_s3_uri).find((u) => u?.endsWith(`/${endpoint.replace(/^mlopstf-[a-z]+-/, '')}`))
        if (!captured) throw new Error(`${stack.name}: ${job.JobDefinitionName} monitors ${endpoint}, which captures no data`)
        const c = s3Uri(captured)
        const truth = s3Uri(job.ModelQualityJobInput.GroundTruthS3Input.S3Uri)
        const report = s3Uri(job.ModelQualityJobOutputConfig.MonitoringOutputs[0].S3Output.S3Uri)
        const need = [
          ...s3Read(stacks, c.bucket, `${c.key}/primary/2026/12/04/10/capture.jsonl`),
          ...s3Read(stacks, truth.bucket, `${truth.key}2026/12/04/10/labels.jsonl`),
          ...s3Write(stacks, report.bucket, `${report.key}2026/12/04/10/constraint_violations.json`, job.ModelQualityJobOutputConfig.KmsKeyId),
          ...kmsUse(job.JobResources.ClusterConfig.VolumeKmsKeyId, ['kms:CreateGrant'], { 'kms:GrantIsForAWSResource': 'true' }),
          ...vpcInterfaces(stack.region, stack.account, job.NetworkConfig.VpcConfig.Subnets),
          ...['CreateLogStream', 'PutLogEvents'].map((a) => ({ action: `logs:${a}`, resource: `arn:aws:logs:${stack.region}:${stack.account}:log-group:/aws/sagemaker/ProcessingJobs:log-stream:${job.JobDefinitionName}/algo-1` })),
        ]
        out.push(...allowed(role, workload, source, need))
        out.push(...refused(role, workload, source, [
          { action: 's3:PutObject', resource: `arn:aws:s3:::${truth.bucket}/${truth.key}2026/12/04/10/labels.jsonl`, context: { 's3:x-amz-server-side-encryption': 'aws:kms' }, note: 'rewrite the ground truth it judges against' },
        ]))
      }
    }
  }
  return out
}
