// What no workload may do, whatever it is: use another environment's buckets or keys; and what no principal may do
// to any bucket, not even an administrator of its account: upload without TLS or with another encryption than
// SSE-KMS (https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit,
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms).
import { refused, environmentStacks, allowed } from '../lib/cases.mjs'

function administrator(stack) {
  return {
    stack,
    id: 'administrator',
    name: 'account administrator (AdministratorAccess)',
    arn: `arn:aws:iam::${stack.account}:role/account-administrator`,
    path: 'not in the stack: a principal with AdministratorAccess',
    policies: [{ name: 'AdministratorAccess', policy: stack.managedPolicy('arn:aws:iam::aws:policy/AdministratorAccess') }],
  }
}

export function cases(stacks) {
  const out = []
  const envs = environmentStacks(stacks)
  for (const stack of stacks.values()) {
    for (const role of stack.roles()) {
      for (const other of envs.filter((s) => s.account !== stack.account)) {
        const data = other.buckets().find((b) => b.id.startsWith('data-bucket'))
        const models = other.buckets().find((b) => b.id.startsWith('models-bucket'))
        const key = other.keys().find((k) => k.id.startsWith('data-key'))
        out.push(...refused(role, 'environment isolation', `${other.name}'s resources`, [
          { action: 's3:GetObject', resource: `${data.arn}/raw/customers.csv`, note: `${other.name} data` },
          { action: 's3:PutObject', resource: `${models.arn}/churn/1.0.0/model.tar.gz`, context: { 's3:x-amz-server-side-encryption': 'aws:kms' }, note: `${other.name} models` },
          { action: 'kms:Decrypt', resource: key.arn, context: { 'kms:ViaService': `s3.${other.region}.amazonaws.com` }, note: `${other.name} data key` },
        ]))
      }
    }
    const admin = administrator(stack)
    for (const bucket of stack.buckets()) {
      const source = stack.resourcePolicyFor(bucket.arn)?.source ?? `${bucket.path} (no bucket policy)`
      const object = `${bucket.arn}/any/object`
      const sse = stack.bucketKey(bucket.name) ? 'aws:kms' : 'AES256'
      out.push(...refused(admin, 'bucket policy', source, [
        { action: 's3:PutObject', resource: object, context: { 'aws:SecureTransport': 'false', 's3:x-amz-server-side-encryption': sse }, note: `${bucket.name}: upload without TLS` },
        { action: 's3:GetObject', resource: object, context: { 'aws:SecureTransport': 'false' }, note: `${bucket.name}: download without TLS` },
        ...(sse === 'aws:kms' ? [{ action: 's3:PutObject', resource: object, context: { 's3:x-amz-server-side-encryption': 'AES256' }, note: `${bucket.name}: upload with SSE-S3 instead of its key` }] : []),
      ]))
      out.push(...allowed(admin, 'bucket policy', source, [
        { action: 's3:PutObject', resource: object, context: { 's3:x-amz-server-side-encryption': sse }, note: `${bucket.name}: upload over TLS with ${sse}` },
        { action: 's3:PutObject', resource: object, note: `${bucket.name}: upload over TLS without an encryption header (the bucket's default ${sse} applies)` },
      ]))
    }
  }
  return out
}
