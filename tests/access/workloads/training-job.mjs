// The training job, as SageMaker runs it with the execution role named in the pipeline's Train state: every input
// channel, the output path and its key, the volume key, the image, the job's logs and metrics, its VPC interfaces
// (https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html#sagemaker-roles-createtrainingjob-perms).
import { allowed, environmentStacks, refused, roleByArn } from '../lib/cases.mjs'
import { ecrPull, kmsUse, s3Read, s3Uri, s3Write, vpcInterfaces } from '../lib/requests.mjs'
import { trainState } from './pipeline-definition.mjs'

export function cases(stacks) {
  const out = []
  for (const stack of environmentStacks(stacks)) {
    const train = trainState(stack)
    if (!train) continue
    const p = train.state.Parameters
    const role = roleByArn(stack, p.RoleArn)
    const workload = 'training job'
    const source = `${train.path} state ${train.name}`
    const job = 'run-1'
    const output = s3Uri(p.OutputDataConfig.S3OutputPath)
    const need = []
    for (const channel of p.InputDataConfig) {
      const uri = s3Uri(channel.DataSource.S3DataSource.S3Uri)
      need.push(...s3Read(stacks, uri.bucket, `${uri.key}part-00000.parquet`).map((r) => ({ ...r, note: `channel ${channel.ChannelName}` })))
    }
    need.push(...s3Write(stacks, output.bucket, `${output.key}${job}/output/model.tar.gz`, p.OutputDataConfig.KmsKeyId))
    // OutputDataConfig.KmsKeyId: "the SageMaker execution role must include permissions to call kms:Encrypt"
    // (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_OutputDataConfig.html).
    if (p.OutputDataConfig.KmsKeyId) need.push(...kmsUse(p.OutputDataConfig.KmsKeyId, ['kms:Encrypt']).map((r) => ({ ...r, note: 'output key' })))
    if (p.ResourceConfig.VolumeKmsKeyId) {
      need.push(...kmsUse(p.ResourceConfig.VolumeKmsKeyId, ['kms:CreateGrant'], { 'kms:GrantIsForAWSResource': 'true' }).map((r) => ({ ...r, note: 'volume encryption' })))
    }
    // Managed Spot training writes checkpoints and reads them back when it resumes
    // (https://docs.aws.amazon.com/sagemaker/latest/dg/model-checkpoints.html); the folder is per execution.
    if (p.CheckpointConfig) {
      const format = p.CheckpointConfig['S3Uri.$'].match(/^States\.Format\('(s3:\/\/[^']+)', \$\$\.Execution\.Name\)$/)
      if (!format) throw new Error(`${stack.name}: CheckpointConfig.S3Uri.$ is not a per-execution folder: ${p.CheckpointConfig['S3Uri.$']}`)
      const checkpoints = s3Uri(format[1].replace('{}', job))
      need.push(...s3Write(stacks, checkpoints.bucket, `${checkpoints.key}checkpoint-1.pt`).map((r) => ({ ...r, note: 'Spot checkpoint' })))
      need.push(...s3Read(stacks, checkpoints.bucket, `${checkpoints.key}checkpoint-1.pt`).map((r) => ({ ...r, note: 'Spot resume' })))
    }
    need.push(...ecrPull(p.AlgorithmSpecification.TrainingImage))
    const logGroup = `arn:aws:logs:${stack.region}:${stack.account}:log-group:/aws/sagemaker/TrainingJobs`
    need.push({ action: 'logs:CreateLogStream', resource: `${logGroup}:log-stream:${job}/algo-1` }, { action: 'logs:PutLogEvents', resource: `${logGroup}:log-stream:${job}/algo-1` })
    need.push({ action: 'cloudwatch:PutMetricData', resource: '*', context: { 'cloudwatch:namespace': '/aws/sagemaker/TrainingJobs' } })
    if (p.VpcConfig) need.push(...vpcInterfaces(stack.region, stack.account, p.VpcConfig.Subnets))
    out.push(...allowed(role, workload, source, need))

    const firstChannel = s3Uri(p.InputDataConfig[0].DataSource.S3DataSource.S3Uri)
    out.push(...refused(role, workload, source, [
      { action: 's3:PutObject', resource: `arn:aws:s3:::${firstChannel.bucket}/${firstChannel.key}part-00000.parquet`, context: { 's3:x-amz-server-side-encryption': 'aws:kms' }, note: 'overwrite its own input' },
      { action: 's3:PutObject', resource: `arn:aws:s3:::${firstChannel.bucket}/raw/customers.csv`, context: { 's3:x-amz-server-side-encryption': 'aws:kms' }, note: 'write raw data' },
      { action: 's3:PutObject', resource: `arn:aws:s3:::${output.bucket}/churn/1.0.0/model.tar.gz`, context: { 's3:x-amz-server-side-encryption': 'aws:kms' }, note: 'overwrite a deployed model archive outside its output path' },
      { action: 'sagemaker:CreateTrainingJob', resource: `arn:aws:sagemaker:${stack.region}:${stack.account}:training-job/mlopstf-${stack.environment}-notebook-job`, note: 'a notebook starting a job without the private subnets (SageMaker VPC guard)' },
      { action: 'sagemaker:CreateModelPackage', resource: `arn:aws:sagemaker:${stack.region}:${stack.account}:model-package/mlopstf-${stack.environment}-churn/1`, note: 'register its own output' },
    ]))
  }
  return out
}
