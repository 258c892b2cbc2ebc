// Each bootstrap stack's audit trail: CloudTrail delivers to its locked bucket and encrypts with its key for this
// trail only (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html,
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html); the CI roles
// cannot stop, rewrite or read it.
import { allowed, bootstrapStacks, refused } from '../lib/cases.mjs'

export function cases(stacks) {
  const out = []
  for (const boot of bootstrapStacks(stacks)) {
    const [trailResource] = boot.resources('aws_cloudtrail')
    if (!trailResource) throw new Error(`${boot.name} has no audit trail`)
    const trail = boot.resolveDeep(trailResource.body)
    const trailArn = `arn:${boot.partition}:cloudtrail:${boot.region}:${boot.account}:trail/${trail.name}`
    const bucket = boot.buckets().find((b) => b.name === trail.s3_bucket_name)
    const key = boot.keys().find((k) => k.arn === trail.kms_key_id)
    if (!bucket || !key) throw new Error(`${boot.name}: the trail's bucket ${trail.s3_bucket_name} or key ${trail.kms_key_id} is not in the stack`)
    const logFile = `${bucket.arn}/AWSLogs/${boot.account}/CloudTrail/${boot.region}/2026/12/05/${boot.account}_CloudTrail_${boot.region}_20261205T0000Z_x.json.gz`
    const otherTrail = `arn:${boot.partition}:cloudtrail:${boot.region}:${boot.account}:trail/someone-elses`
    const cloudtrail = { stack: boot, name: 'cloudtrail.amazonaws.com', arn: 'cloudtrail.amazonaws.com', path: 'the CloudTrail service', policies: [] }
    const fromTrail = { 'aws:SourceArn': trailArn }
    const delivery = { ...fromTrail, 's3:x-amz-acl': 'bucket-owner-full-control', 's3:x-amz-server-side-encryption': 'aws:kms' }
    const source = `${boot.path('aws_cloudtrail', trailResource.id)}`
    out.push(...allowed(cloudtrail, 'audit trail delivery', source, [
      { action: 's3:GetBucketAcl', resource: bucket.arn, context: fromTrail },
      { action: 's3:PutObject', resource: logFile, context: delivery },
      { action: 'kms:GenerateDataKey', resource: key.arn, context: { ...fromTrail, 'kms:EncryptionContext:aws:cloudtrail:arn': trailArn } },
      { action: 'kms:DescribeKey', resource: key.arn, context: fromTrail },
    ]))
    out.push(...refused(cloudtrail, 'audit trail delivery', source, [
      { action: 's3:PutObject', resource: logFile, context: { ...delivery, 'aws:SourceArn': otherTrail }, note: 'for another trail (confused deputy)' },
      { action: 's3:PutObject', resource: logFile, context: { ...fromTrail, 's3:x-amz-server-side-encryption': 'aws:kms' }, note: 'without bucket-owner-full-control' },
      { action: 's3:PutObject', resource: `${bucket.arn}/AWSLogs/999999999999/CloudTrail/x.json.gz`, context: delivery, note: "under another account's prefix" },
      { action: 's3:GetBucketAcl', resource: bucket.arn, context: { 'aws:SourceArn': otherTrail }, note: 'for another trail' },
      { action: 'kms:GenerateDataKey', resource: key.arn, context: { 'aws:SourceArn': otherTrail, 'kms:EncryptionContext:aws:cloudtrail:arn': otherTrail }, note: 'for another trail' },
      { action: 's3:DeleteObject', resource: logFile, context: fromTrail, note: 'delete a log file' },
    ]))

    const apply = boot.roles().find((r) => r.name.endsWith('-apply'))
    const plan = boot.roles().find((r) => r.name.endsWith('-plan'))
    const ci = `${boot.name} CI roles and the audit trail`
    out.push(...refused(apply, 'CI apply', ci, [
      { action: 'cloudtrail:StopLogging', resource: trailArn, note: 'stop the audit trail' },
      { action: 'cloudtrail:DeleteTrail', resource: trailArn, note: 'delete the audit trail' },
      { action: 'cloudtrail:UpdateTrail', resource: trailArn, note: 'point the trail elsewhere' },
      { action: 's3:BypassGovernanceRetention', resource: logFile, note: 'break the Object Lock' },
      { action: 's3:DeleteObject', resource: logFile, note: 'hide a log file behind a delete marker' },
      { action: 's3:PutBucketPolicy', resource: bucket.arn, note: "rewrite the audit bucket's policy" },
      { action: 'kms:ScheduleKeyDeletion', resource: key.arn, note: "delete the trail's key" },
      { action: 'kms:PutKeyPolicy', resource: key.arn, note: "lock CloudTrail out of the key" },
    ]))
    out.push(...allowed(apply, 'CI apply', ci, [
      { action: 'cloudtrail:LookupEvents', resource: '*', note: 'read management events (PowerUserAccess)' },
    ]))
    out.push(...refused(plan, 'CI plan', ci, [
      { action: 's3:GetObject', resource: logFile, note: 'read the audit log files' },
      { action: 'kms:Decrypt', resource: key.arn, note: 'decrypt them' },
    ]))
  }
  return out
}
