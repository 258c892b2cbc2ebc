// The Glue job and crawler with their role: the script, the raw data the catalog table points at, the processed
// output under the security configuration's keys, the catalog, logs and metrics
// (https://docs.aws.amazon.com/glue/latest/dg/create-service-policy.html, .../encryption-security-configuration.html).
import { allowed, environmentStacks, refused, roleByArn } from '../lib/cases.mjs'
import { kmsUse, s3Read, s3Uri, s3Write } from '../lib/requests.mjs'

export function cases(stacks) {
  const out = []
  for (const stack of environmentStacks(stacks)) {
    const glueArn = (r) => `arn:aws:glue:${stack.region}:${stack.account}:${r}`
    const security = Object.fromEntries(stack.resources('aws_glue_security_configuration').map(({ body }) => {
      const c = stack.resolveDeep(body)
      return [c.name, c.encryption_configuration]
    }))
    const crawlers = stack.resources('aws_glue_crawler').map(({ id, body }) => ({ id, crawler: stack.resolveDeep(body) }))
    for (const { id, crawler } of crawlers) {
      const role = roleByArn(stack, crawler.role)
      const source = stack.path('aws_glue_crawler', id)
      const need = []
      for (const target of crawler.s3_target ?? []) {
        const t = s3Uri(target.path)
        need.push(...s3Read(stacks, t.bucket, `${t.key}customers.csv`))
      }
      need.push(...['GetDatabase', 'GetTable', 'CreateTable', 'UpdateTable', 'BatchCreatePartition'].map((a) => ({
        action: `glue:${a}`, resource: a === 'GetDatabase' ? glueArn(`database/${crawler.database_name}`) : glueArn(`table/${crawler.database_name}/raw`) })))
      const logsKey = security[crawler.security_configuration]?.cloudwatch_encryption?.kms_key_arn
      need.push(...['CreateLogStream', 'PutLogEvents'].map((a) => ({ action: `logs:${a}`, resource: `arn:aws:logs:${stack.region}:${stack.account}:log-group:/aws-glue/crawlers-role/${role.name}-${crawler.security_configuration}:log-stream:${crawler.name}` })))
      if (logsKey) need.push({ action: 'logs:AssociateKmsKey', resource: `arn:aws:logs:${stack.region}:${stack.account}:log-group:/aws-glue/crawlers-role/${role.name}-${crawler.security_configuration}` })
      out.push(...allowed(role, `Glue crawler ${crawler.name}`, source, need))
    }
    for (const { id, body } of stack.resources('aws_glue_job')) {
      const job = stack.resolveDeep(body)
      const role = roleByArn(stack, job.role_arn)
      const source = stack.path('aws_glue_job', id)
      const workload = `Glue job ${job.name}`
      const args = job.default_arguments ?? {}
      const enc = security[job.security_configuration] ?? {}
      const script = s3Uri(job.command.script_location)
      const output = s3Uri(args['--OUTPUT_PATH'])
      const crawled = crawlers.find((c) => c.crawler.database_name === args['--DATABASE'])?.crawler.s3_target?.[0]
      const need = [
        ...s3Read(stacks, script.bucket, script.key),
        { action: 'glue:GetDatabase', resource: glueArn(`database/${args['--DATABASE']}`) },
        { action: 'glue:GetTable', resource: glueArn(`table/${args['--DATABASE']}/${args['--TABLE']}`) },
        { action: 'glue:GetPartitions', resource: glueArn(`table/${args['--DATABASE']}/${args['--TABLE']}`) },
        ...(crawled ? s3Read(stacks, s3Uri(crawled.path).bucket, `${s3Uri(crawled.path).key}customers.csv`) : []),
        ...s3Write(stacks, output.bucket, `${output.key}split=train/part-00000.parquet`, enc.s3_encryption?.kms_key_arn),
        ...(enc.job_bookmarks_encryption?.kms_key_arn ? kmsUse(enc.job_bookmarks_encryption.kms_key_arn, ['kms:Encrypt', 'kms:Decrypt']).map((r) => ({ ...r, note: 'job bookmarks' })) : []),
        ...['CreateLogStream', 'PutLogEvents'].map((a) => ({ action: `logs:${a}`, resource: `arn:aws:logs:${stack.region}:${stack.account}:log-group:/aws-glue/jobs/${job.security_configuration}-role/${role.name}/output:log-stream:jr_1` })),
      ]
      if (args['--enable-metrics'] === 'true') need.push({ action: 'cloudwatch:PutMetricData', resource: '*', context: { 'cloudwatch:namespace': 'Glue' } })
      out.push(...allowed(role, workload, source, need))
      out.push(...refused(role, workload, source, [
        { action: 's3:PutObject', resource: `arn:aws:s3:::${script.bucket}/${script.key}`, context: { 's3:x-amz-server-side-encryption': 'aws:kms' }, note: 'rewrite its own script' },
        ...(crawled ? [{ action: 's3:PutObject', resource: `arn:aws:s3:::${s3Uri(crawled.path).bucket}/${s3Uri(crawled.path).key}customers.csv`, context: { 's3:x-amz-server-side-encryption': 'aws:kms' }, note: 'rewrite its raw input' }] : []),
        { action: 'glue:DeleteDatabase', resource: glueArn(`database/${args['--DATABASE']}`), note: 'drop the catalog' },
        { action: 'cloudwatch:PutMetricData', resource: '*', context: { 'cloudwatch:namespace': 'AWS/SageMaker' }, note: 'publish metrics outside its namespace' },
      ]))
    }
  }
  return out
}
