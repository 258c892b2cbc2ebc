// A deploying account reading a registered model across accounts, as the promotion runbook copies it: the package
// and its group, the archive the package names (through S3, decrypted with the registry's key through S3 only) and
// its inference image, then the copy into this environment. Both sides' policies decide: the promotion role's, and
// the registry's group, bucket, key and repository policies
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html).
import { allowed, environmentStacks, refused } from '../lib/cases.mjs'
import { ecrPull, kmsUse, s3Uri, s3Write } from '../lib/requests.mjs'
import { stateMachines, trainState } from './pipeline-definition.mjs'

/** The environment stack whose model registry names `account` as a reader. */
function registryFor(stacks, account) {
  return environmentStacks(stacks).find((s) => s.resources('aws_sagemaker_model_package_group_policy').some(({ body }) =>
    JSON.stringify(s.policyValue(body.resource_policy)).includes(`arn:aws:iam::${account}:root`)))
}

export function cases(stacks) {
  const out = []
  for (const stack of environmentStacks(stacks)) {
    const role = stack.roles().find((r) => r.trust.Statement.some((s) => s.Principal?.AWS))
    if (!role) continue
    const registry = registryFor(stacks, stack.account)
    if (!registry) throw new Error(`${stack.name}: ${role.name} is assumed by a role, but no registry shares models with ${stack.account}`)
    const source = `${role.path} reading ${registry.name}`
    const workload = 'model promotion (cross-account)'
    const group = registry.resources('aws_sagemaker_model_package_group').map(({ id }) => registry.attribute('aws_sagemaker_model_package_group', id, 'arn'))[0]
    const packageArn = group.replace(':model-package-group/', ':model-package/') + '/1'
    const train = trainState(registry)
    const output = s3Uri(train.state.Parameters.OutputDataConfig.S3OutputPath)
    const register = stateMachines(registry).flatMap((sm) => sm.states).find(([, s]) => /createModelPackage$/.test(s.Resource ?? ''))?.[1]
    const image = register.Parameters.InferenceSpecification.Containers[0].Image
    const modelsKey = registry.bucketKey(output.bucket)
    const archive = `arn:aws:s3:::${output.bucket}/${output.key}mlopstf-${registry.environment}-train-run-1/output/model.tar.gz`
    const registryData = registry.buckets().find((b) => b.id.startsWith('data-bucket'))
    out.push(...allowed(role, workload, source, [
      { action: 'sagemaker:DescribeModelPackageGroup', resource: group },
      { action: 'sagemaker:DescribeModelPackage', resource: packageArn },
      { action: 's3:GetObject', resource: archive },
      ...kmsUse(modelsKey, ['kms:Decrypt'], { 'kms:ViaService': `s3.${registry.region}.amazonaws.com`, 'kms:EncryptionContext:aws:s3:arn': `arn:aws:s3:::${output.bucket}` }),
      ...ecrPull(image),
    ]))
    const ownModels = stack.buckets().find((b) => b.id.startsWith('models-bucket'))
    const ownRepo = stack.resources('aws_ecr_repository').map(({ id }) => stack.attribute('aws_ecr_repository', id, 'arn')).find((a) => a.endsWith('/inference'))
    out.push(...allowed(role, workload, `${role.path} copying into ${stack.name}`, [
      ...s3Write(stacks, ownModels.name, 'churn/1.2.0/model.tar.gz'),
      ...['InitiateLayerUpload', 'UploadLayerPart', 'CompleteLayerUpload', 'PutImage'].map((a) => ({ action: `ecr:${a}`, resource: ownRepo })),
    ]))
    out.push(...refused(role, workload, source, [
      { action: 's3:GetObject', resource: `${registryData.arn}/raw/customers.csv`, note: 'read the registry\'s training data' },
      { action: 's3:GetObject', resource: `arn:aws:s3:::${output.bucket}/churn/1.0.0/model.tar.gz`, note: 'read archives the registry does not share' },
      ...kmsUse(modelsKey, ['kms:Decrypt'], {}).map((r) => ({ ...r, note: 'decrypt with the registry key outside S3' })),
      ...kmsUse(modelsKey, ['kms:Decrypt'], { 'kms:ViaService': `s3.${registry.region}.amazonaws.com`, 'kms:EncryptionContext:aws:s3:arn': registryData.arn })
        .map((r) => ({ ...r, note: 'decrypt objects of another registry bucket through S3' })),
      { action: 's3:PutObject', resource: archive, context: { 's3:x-amz-server-side-encryption': 'aws:kms' }, note: 'write into the registry' },
      { action: 'sagemaker:UpdateModelPackage', resource: packageArn, note: 'approve a package in the registry' },
      { action: 'ecr:PutImage', resource: ecrPull(image)[1].resource, note: 'push into the registry\'s repository' },
    ]))
  }
  return out
}
