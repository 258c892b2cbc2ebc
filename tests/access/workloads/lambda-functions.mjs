// Every Lambda function: what its runtime needs (logs, dead-letter queue, environment key, VPC interfaces, tracing,
// from the function's own configuration) and the calls its handler makes, listed in functions/<name>/iam_calls.json
// beside the handler and checked against a scan of the deployed code.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { allowed, refused, roleByArn } from '../lib/cases.mjs'
import { kmsUse, logsWrite, vpcInterfaces } from '../lib/requests.mjs'
import { trainingJobPrefix } from './pipeline-definition.mjs'

export const FUNCTIONS_DIR = new URL('../../../functions/', import.meta.url).pathname
const SCANNER = new URL('../boto3_calls.py', import.meta.url).pathname

/** The handler's folder under functions/, found by its module name. */
export function handlerFolder(handler) {
  const module = handler.split('.')[0]
  const folder = readdirSync(FUNCTIONS_DIR).find((d) => existsSync(join(FUNCTIONS_DIR, d, `${module}.py`)))
  if (!folder) throw new Error(`no functions/<folder>/${module}.py for handler ${handler}`)
  return { folder, file: join(FUNCTIONS_DIR, folder, `${module}.py`), module }
}

/** Operations found in the code (the deployed archive when the stack has it, else the source), by operation. */
export function scannedOperations(stack, body, handler) {
  const archive = join(stack.dir, body.filename)
  const spec = existsSync(archive) ? `${archive}:${handler.module}.py` : handler.file
  const found = JSON.parse(execFileSync('python3', [SCANNER, spec], { encoding: 'utf8' }))[spec]
  return { spec, operations: new Set(found.map((c) => `${c.service}.${c.operation}`)) }
}

export function manifest(folder) {
  const file = join(FUNCTIONS_DIR, folder, 'iam_calls.json')
  if (!existsSync(file)) throw new Error(`functions/${folder}/iam_calls.json is missing: list the calls the handler makes`)
  return JSON.parse(readFileSync(file, 'utf8'))
}

function template(value, vars, where) {
  return JSON.parse(JSON.stringify(value).replace(/\$\{([A-Z_]+)\}/g, (_, name) => {
    if (vars[name] === undefined) throw new Error(`${where}: \${${name}} is neither an environment variable of the function nor a stack value`)
    return vars[name]
  }))
}

export function cases(stacks) {
  const out = []
  for (const stack of stacks.values()) {
    for (const { id, body } of stack.resources('aws_lambda_function')) {
      const fn = stack.resolveDeep(body)
      const role = roleByArn(stack, fn.role)
      const workload = `Lambda ${fn.function_name}`
      const where = stack.path('aws_lambda_function', id)
      const runtime = [
        ...logsWrite(`arn:aws:logs:${stack.region}:${stack.account}:log-group:${fn.logging_config?.log_group ?? `/aws/lambda/${fn.function_name}`}`),
      ]
      if (fn.dead_letter_config?.target_arn) {
        runtime.push({ action: 'sqs:SendMessage', resource: fn.dead_letter_config.target_arn, note: 'failed async events' })
        const queue = stack.resources('aws_sqs_queue').map((q) => stack.resolveDeep(q.body)).find((q) => fn.dead_letter_config.target_arn.endsWith(`:${q.name}`))
        if (queue?.kms_master_key_id) runtime.push(...kmsUse(queue.kms_master_key_id, ['kms:GenerateDataKey'], { 'kms:ViaService': `sqs.${stack.region}.amazonaws.com` }))
      }
      if (fn.kms_key_arn) runtime.push(...kmsUse(fn.kms_key_arn, ['kms:Decrypt']).map((r) => ({ ...r, note: 'environment variables' })))
      if (fn.vpc_config) runtime.push(...vpcInterfaces(stack.region, stack.account, fn.vpc_config.subnet_ids))
      if (fn.tracing_config?.mode === 'Active') runtime.push({ action: 'xray:PutTraceSegments', resource: '*' }, { action: 'xray:PutTelemetryRecords', resource: '*' })
      out.push(...allowed(role, workload, `${where} (runtime)`, runtime))

      const handler = handlerFolder(fn.handler)
      const listed = manifest(handler.folder)
      const vars = {
        ...(fn.environment?.variables ?? {}),
        AWS_REGION: stack.region,
        AWS_ACCOUNT_ID: stack.account,
        STACK_ENVIRONMENT: stack.environment,
        TRAINING_JOB_PREFIX: trainingJobPrefix(stack),
      }
      const { spec, operations } = scannedOperations(stack, body, handler)
      const declared = new Set(listed.calls.map((c) => c.operation))
      const missing = [...operations].filter((o) => !declared.has(o))
      const stale = [...declared].filter((o) => !operations.has(o))
      out.push({ role, workload, source: `functions/${handler.folder}/iam_calls.json`, check: 'handler calls listed',
        problem: missing.length || stale.length
          ? `${spec}: ${missing.length ? `calls not listed in iam_calls.json: ${missing.join(', ')}` : ''}${stale.length ? ` listed but not called: ${stale.join(', ')}` : ''}`
          : undefined })
      const source = `functions/${handler.folder}/iam_calls.json`
      const expand = (c) => {
        const r = template({ action: c.action, resource: c.resource, context: c.context ?? {}, note: c.why }, vars, source)
        const extra = []
        const bucket = r.resource.match(/^arn:aws:s3:::([^/]+)\//)?.[1]
        const key = bucket ? stack.bucketKey(bucket) : undefined
        if (key && r.action === 's3:GetObject') extra.push(...kmsUse(key, ['kms:Decrypt'], { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` }))
        if (key && r.action === 's3:PutObject') {
          r.context = { 's3:x-amz-server-side-encryption': 'aws:kms', ...r.context }
          extra.push(...kmsUse(key, ['kms:GenerateDataKey'], { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` }))
        }
        return [r, ...extra]
      }
      out.push(...allowed(role, workload, source, listed.calls.flatMap(expand)))
      out.push(...refused(role, workload, source, (listed.refused ?? []).map((c) => expand(c)[0])))
    }
  }
  return out
}
