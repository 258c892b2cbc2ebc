// Builders for the requests AWS makes on a workload's behalf, so that each workload lists what it does, not how IAM
// spells it. Each returns a list of { action, resource, context, note }.

/** Splits s3://bucket/key into its parts. */
export function s3Uri(uri) {
  const m = uri.match(/^s3:\/\/([^/]+)\/?(.*)$/)
  if (!m) throw new Error(`not an S3 URI: ${uri}`)
  return { bucket: m[1], key: m[2] }
}

const bucketArn = (bucket) => `arn:aws:s3:::${bucket}`

/** The key a bucket encrypts with by default, from whichever stack declares the bucket. */
function defaultKey(stacks, bucket) {
  for (const stack of stacks.values()) {
    if (stack.buckets().some((b) => b.name === bucket)) return { key: stack.bucketKey(bucket), region: stack.region }
  }
  throw new Error(`no stack declares bucket ${bucket}`)
}

// SSE-KMS through S3: S3 calls KMS with the caller's credentials, kms:ViaService s3.<region>.amazonaws.com
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms).
function viaS3(stacks, bucket, action, kmsKey) {
  const { key, region } = defaultKey(stacks, bucket)
  const used = kmsKey ?? key
  if (!used) return []
  return [{ action, resource: used, context: { 'kms:ViaService': `s3.${region}.amazonaws.com` }, note: `S3 uses the key of ${bucket}` }]
}

/** Lists a prefix and reads an object under it (GetObject needs kms:Decrypt on an SSE-KMS object). */
export function s3Read(stacks, bucket, key) {
  return [
    { action: 's3:ListBucket', resource: bucketArn(bucket), context: { 's3:prefix': key.replace(/[^/]*$/, '') } },
    { action: 's3:GetObject', resource: `${bucketArn(bucket)}/${key}` },
    ...viaS3(stacks, bucket, 'kms:Decrypt'),
  ]
}

/** Writes an object, SSE-KMS with the bucket's key unless kmsKey names another (kms:GenerateDataKey). */
export function s3Write(stacks, bucket, key, kmsKey) {
  return [
    { action: 's3:PutObject', resource: `${bucketArn(bucket)}/${key}`, context: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
    ...viaS3(stacks, bucket, 'kms:GenerateDataKey', kmsKey),
  ]
}

/** Pulls an image: the registry token, then the manifest and layers from the repository. */
export function ecrPull(image, region) {
  const m = image.match(/^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/([^:@]+)/)
  if (!m) throw new Error(`not an ECR image URI: ${image}`)
  const repo = `arn:aws:ecr:${m[2]}:${m[1]}:repository/${m[3]}`
  return [
    { action: 'ecr:GetAuthorizationToken', resource: '*', note: `login to ${region ?? m[2]}` },
    { action: 'ecr:BatchCheckLayerAvailability', resource: repo },
    { action: 'ecr:BatchGetImage', resource: repo },
    { action: 'ecr:GetDownloadUrlForLayer', resource: repo },
  ]
}

/** Creates a log stream in a group and writes to it. */
export function logsWrite(logGroupArn, stream = 'stream') {
  const group = logGroupArn.replace(/:\*$/, '')
  return [
    { action: 'logs:CreateLogStream', resource: `${group}:log-stream:${stream}` },
    { action: 'logs:PutLogEvents', resource: `${group}:log-stream:${stream}` },
  ]
}

/** The elastic network interfaces a VPC-attached job or function creates in its subnets. */
export function vpcInterfaces(region, account, subnets) {
  return [
    { action: 'ec2:CreateNetworkInterface', resource: `arn:aws:ec2:${region}:${account}:subnet/${subnets[0]}` },
    { action: 'ec2:DescribeNetworkInterfaces', resource: '*' },
    { action: 'ec2:DeleteNetworkInterface', resource: `arn:aws:ec2:${region}:${account}:network-interface/eni-0123456789abcdef0` },
  ]
}

export function kmsUse(keyArn, actions, context = {}) {
  return actions.map((action) => ({ action, resource: keyArn, context }))
}
