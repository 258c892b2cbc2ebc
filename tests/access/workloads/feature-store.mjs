// The Feature Store role: SageMaker writes the offline store under its S3 prefix with the group's key and creates
// its Glue table (https://docs.aws.amazon.com/sagemaker/latest/dg/feature-store-adding-policies.html).
import { allowed, environmentStacks, refused, roleByArn } from '../lib/cases.mjs'
import { kmsUse, s3Read, s3Uri, s3Write } from '../lib/requests.mjs'

export function cases(stacks) {
  const out = []
  for (const stack of environmentStacks(stacks)) {
    for (const { id, body } of stack.resources('aws_sagemaker_feature_group')) {
      const group = stack.resolveDeep(body)
      const role = roleByArn(stack, group.role_arn)
      const source = stack.path('aws_sagemaker_feature_group', id)
      const workload = `feature group ${group.feature_group_name}`
      const store = group.offline_store_config.s3_storage_config
      const uri = s3Uri(store.s3_uri)
      const table = group.feature_group_name.replace(/-/g, '_')
      const glue = (r) => `arn:aws:glue:${stack.region}:${stack.account}:${r}`
      const need = [
        ...s3Write(stacks, uri.bucket, `${uri.key}${stack.account}/sagemaker/${stack.region}/offline-store/${table}/data/part.parquet`, store.kms_key_id),
        ...s3Read(stacks, uri.bucket, `${uri.key}${stack.account}/sagemaker/${stack.region}/offline-store/${table}/data/part.parquet`),
      ]
      if (!group.offline_store_config.disable_glue_table_creation) {
        need.push({ action: 'glue:GetDatabase', resource: glue('database/sagemaker_featurestore') },
          { action: 'glue:CreateTable', resource: glue(`table/sagemaker_featurestore/${table}`) })
      }
      if (group.online_store_config?.security_config?.kms_key_id) need.push(...kmsUse(group.online_store_config.security_config.kms_key_id, ['kms:DescribeKey']))
      out.push(...allowed(role, workload, source, need))
      out.push(...refused(role, workload, source, [
        { action: 's3:PutObject', resource: `arn:aws:s3:::${uri.bucket}/raw/customers.csv`, context: { 's3:x-amz-server-side-encryption': 'aws:kms' }, note: 'write outside the offline store' },
        { action: 'glue:DeleteTable', resource: glue(`table/sagemaker_featurestore/${table}`), note: 'drop the offline table' },
      ]))
    }
  }
  return out
}
