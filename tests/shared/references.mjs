// Terraform references in a synthesized stack (${type.name.attribute}) resolved to the names and ARNs AWS would give
// the resources, from the stack's own JSON: shared by the access simulation and the pipeline scenarios.
import { createHash } from 'node:crypto'
import { decodeJsonencode, isTomap } from './jsonencode.mjs'

const REFERENCE = /\$\{(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}/g

const fakeId = (prefix, seed, length = 17) => `${prefix}${createHash('sha256').update(seed).digest('hex').slice(0, length)}`
const fakeUuid = (seed) => {
  const h = createHash('sha256').update(seed).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
}

/**
 * A resolver for one stack. `dataAttribute(type, id, attribute)` answers references to data sources; without it they
 * are an error. Key, subnet and security-group ids are stable fakes derived from the stack and resource name.
 */
export function referenceResolver(name, json, dataAttribute) {
  const provider = json.provider?.aws?.[0]
  if (!provider?.region || !provider.allowed_account_ids?.[0]) throw new Error(`${name}: the aws provider has no region or allowed_account_ids`)
  const region = provider.region
  const account = provider.allowed_account_ids[0]
  const partition = 'aws'

  const body = (type, id) => {
    const found = json.resource?.[type]?.[id]
    if (!found) throw new Error(`${name}: reference to ${type}.${id}, which the stack does not declare`)
    return found
  }

  function attribute(type, id, key) {
    const b = body(type, id)
    const literal = (k) => {
      if (typeof b[k] !== 'string') throw new Error(`${name}: ${type}.${id} has no literal ${k} to resolve a reference with`)
      return resolve(b[k])
    }
    const arns = {
      aws_s3_bucket: () => `arn:${partition}:s3:::${literal('bucket')}`,
      aws_kms_key: () => `arn:${partition}:kms:${region}:${account}:key/${attribute(type, id, 'key_id')}`,
      aws_cloudwatch_log_group: () => `arn:${partition}:logs:${region}:${account}:log-group:${literal('name')}`,
      aws_cloudwatch_metric_alarm: () => `arn:${partition}:cloudwatch:${region}:${account}:alarm:${literal('alarm_name')}`,
      aws_ecr_repository: () => `arn:${partition}:ecr:${region}:${account}:repository/${literal('name')}`,
      aws_iam_role: () => `arn:${partition}:iam::${account}:role/${literal('name')}`,
      aws_iam_policy: () => `arn:${partition}:iam::${account}:policy/${literal('name')}`,
      aws_iam_openid_connect_provider: () => `arn:${partition}:iam::${account}:oidc-provider/${literal('url').replace(/^https:\/\//, '')}`,
      aws_lambda_function: () => `arn:${partition}:lambda:${region}:${account}:function:${literal('function_name')}`,
      aws_sfn_state_machine: () => `arn:${partition}:states:${region}:${account}:stateMachine:${literal('name')}`,
      aws_sns_topic: () => `arn:${partition}:sns:${region}:${account}:${literal('name')}`,
      aws_sqs_queue: () => `arn:${partition}:sqs:${region}:${account}:${literal('name')}`,
      aws_sagemaker_endpoint: () => `arn:${partition}:sagemaker:${region}:${account}:endpoint/${literal('name').toLowerCase()}`,
      aws_sagemaker_model_package_group: () =>
        `arn:${partition}:sagemaker:${region}:${account}:model-package-group/${literal('model_package_group_name').toLowerCase()}`,
      aws_sagemaker_feature_group: () => `arn:${partition}:sagemaker:${region}:${account}:feature-group/${literal('feature_group_name').toLowerCase()}`,
      aws_dynamodb_table: () => `arn:${partition}:dynamodb:${region}:${account}:table/${literal('name')}`,
      aws_glue_job: () => `arn:${partition}:glue:${region}:${account}:job/${literal('name')}`,
      aws_cloudwatch_event_rule: () => `arn:${partition}:events:${region}:${account}:rule/${literal('name')}`,
      aws_cloudtrail: () => `arn:${partition}:cloudtrail:${region}:${account}:trail/${literal('name')}`,
      aws_cloudfront_distribution: () => `arn:${partition}:cloudfront::${account}:distribution/${fakeId('E', `${name}/${type}.${id}`).toUpperCase()}`,
    }
    switch (key) {
      case 'arn':
        if (!arns[type]) throw new Error(`${name}: the ARN of ${type} is not modelled`)
        return arns[type]()
      case 'key_id':
        return fakeUuid(`${name}/${type}.${id}`)
      case 'api_endpoint':
        return `https://${fakeId('a', `${name}/${type}.${id}`)}.execute-api.${region}.amazonaws.com`
      case 'repository_url':
        return `${account}.dkr.ecr.${region}.amazonaws.com/${literal('name')}`
      case 'id':
      case 'name': {
        const named = { aws_s3_bucket: 'bucket', aws_lambda_function: 'function_name', aws_iam_role: 'name', aws_glue_job: 'name' }
        if (named[type]) return literal(named[type])
        if (b.name !== undefined) return literal('name')
        const prefix = { aws_subnet: 'subnet-', aws_security_group: 'sg-', aws_vpc: 'vpc-' }[type]
        if (prefix) return fakeId(prefix, `${name}/${type}.${id}`)
        throw new Error(`${name}: ${type}.${id}.${key} is not modelled`)
      }
      default:
        return literal(key)
    }
  }

  const replace = (value) => decodeJsonencode(value).replace(REFERENCE, (_, data, type, id, key) => {
    if (!data) return attribute(type, id, key)
    if (!dataAttribute) throw new Error(`${name}: data.${type}.${id}.${key} is not modelled`)
    return dataAttribute(type, id, key)
  })

  /** Replaces every reference in a string; anything else inside ${} is an error. */
  function resolve(value) {
    if (typeof value !== 'string') return value
    const out = replace(value)
    if (out.includes('${')) throw new Error(`${name}: cannot resolve "${value}"`)
    return out
  }

  /** Resolves references throughout a resource body; other expressions (${filebase64sha256(...)}) stay as they are. */
  function resolveDeep(value) {
    if (isTomap(value)) return resolveDeep(JSON.parse(decodeJsonencode(value)))
    if (typeof value === 'string') return replace(value)
    if (Array.isArray(value)) return value.map(resolveDeep)
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).filter(([k]) => k !== '//').map(([k, v]) => [k, resolveDeep(v)]))
    }
    return value
  }

  return { account, region, partition, attribute, resolve, resolveDeep }
}
