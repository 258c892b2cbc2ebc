// One IAM decision with @cloud-copilot/iam-simulate: identity policies, permissions boundary and the resource's own
// policy (found in whichever stack owns the resource), with the statement that decided it.
import { getDenialReasons, getGrantReasons, runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate'
import { createValidatedPolicy, validateIdentityPolicy, validateResourcePolicy, validateTrustPolicy } from '@cloud-copilot/iam-policy'

const OTHER_ACCOUNT = '999999999999'

/** The account that owns a resource: from its ARN, or (S3 has none in its ARNs) the stack that declares the bucket. */
export function ownerAccount(stacks, arn, callerAccount) {
  if (arn === '*') return callerAccount
  const fromArn = arn.split(':')[4]
  if (fromArn) return fromArn
  const bucket = arn.split(':::')[1]?.split('/')[0]
  for (const stack of stacks.values()) if (stack.buckets().some((b) => b.name === bucket)) return stack.account
  return OTHER_ACCOUNT
}

function resourcePolicy(stacks, arn) {
  for (const stack of stacks.values()) {
    const found = stack.resourcePolicyFor(arn)
    if (found) return found
  }
  return undefined
}

const describeGrant = (g, resourceSource) =>
  g.policyType === 'resource' ? `${resourceSource} ${g.statementId ?? `#${g.statementIndex}`}` : `${g.policyIdentifier} ${g.statementId ?? `#${g.statementIndex}`}`

/**
 * request: { principal: { arn, policies, boundary? }, action, resource, context }
 * returns: { decision: 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied', by: string[] }
 */
export async function evaluate(stacks, request) {
  const { principal, action, resource } = request
  const context = { 'aws:SecureTransport': 'true', ...request.context }
  const owned = resourcePolicy(stacks, resource)
  const simulation = {
    request: { principal: principal.arn, action, resource: { resource, accountId: ownerAccount(stacks, resource, principal.arn.split(':')[4]) }, contextVariables: context },
    identityPolicies: principal.policies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(principal.boundary ? { permissionBoundaryPolicies: [{ name: 'boundary', policy: principal.boundary }] } : {}),
    ...(owned ? { resourcePolicy: owned.policy } : {}),
  }
  if (Object.keys(context).some((k) => TEMPLATED_KEY.test(k))) return unvalidated(simulation, owned)
  const r = await runSimulation(simulation, {})
  // Actions without a resource type (cloudwatch:PutMetricData) are simulated as a wildcard over their one pattern.
  if (r.resultType === 'wildcard' && r.results.length === 0 && r.overallResult !== 'Allowed') return { decision: r.overallResult, by: ['no statement matches'] }
  const single = r.resultType === 'single' ? r.result : r.resultType === 'wildcard' && r.results.length === 1 ? r.results[0] : undefined
  if (!single) throw new Error(`${action} on ${resource}: the simulator refused the request: ${JSON.stringify(r.errors ?? r).slice(0, 400)}`)
  const ignored = single.ignoredContextKeys ?? []
  const supplied = Object.keys(request.context ?? {})
  const dropped = supplied.filter((k) => ignored.includes(k))
  if (dropped.length > 0) throw new Error(`${action} on ${resource}: context keys ${dropped.join(', ')} do not apply to this action; the case tests nothing`)
  const analysis = single.analysis
  const decision = analysis.result
  const by = decision === 'Allowed'
    ? getGrantReasons(analysis).map((g) => describeGrant(g, owned?.source ?? 'resource policy'))
    : getDenialReasons(analysis).map((d) =>
        d.denialType === 'Explicit'
          ? `deny: ${d.policyType === 'resource' ? owned?.source ?? 'resource policy' : d.policyIdentifier ?? d.policyType} ${d.statementId ?? `#${d.statementIndex}`}`
          : `no allow in ${d.policyType}${d.identifier ? ` ${d.identifier}` : ''}`)
  return { decision, by }
}

// Condition keys that iam-data lists as templates (kms:EncryptionContext:${EncryptionContextKey}); the simulator's
// request check does not expand them and would drop the key, so such requests take the unvalidated entry point.
const TEMPLATED_KEY = /^kms:EncryptionContext:/

function unvalidated(simulation, owned) {
  const validated = (policy, validate, name) => createValidatedPolicy(policy, validate, { name })
  const decision = runUnsafeSimulation({
    ...simulation,
    identityPolicies: simulation.identityPolicies.map((p) => ({ name: p.name, policy: validated(p.policy, validateIdentityPolicy, p.name) })),
    ...(owned ? { resourcePolicy: validated(owned.policy, validateResourcePolicy, 'resource') } : {}),
  }, {})
  return { decision, by: [`${owned?.source ?? 'identity policies'} (unvalidated entry point: the request carries kms:EncryptionContext:*)`] }
}

/** Can `caller` assume a role with this trust policy? caller: { principal, action, context }. */
export function evaluateTrust(role, caller) {
  const errors = validateTrustPolicy(role.trust)
  if (errors.length > 0) throw new Error(`${role.name}: invalid trust policy: ${JSON.stringify(errors)}`)
  // The unvalidated entry point: the service authorization reference lacks the OIDC provider's :sub and :aud keys,
  // which AWS documents for GitHub's trust policies
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub).
  const result = runUnsafeSimulation(
    {
      request: { principal: caller.principal, action: caller.action, resource: { resource: role.arn, accountId: role.stack.account }, contextVariables: caller.context ?? {} },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: createValidatedPolicy(role.trust, validateTrustPolicy, { name: 'trust' }),
    },
    {},
  )
  return { decision: result, by: [`${role.path} trust`] }
}
