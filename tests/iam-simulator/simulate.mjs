// Evaluates IAM requests against policies with @cloud-copilot/iam-simulate (a test tool, installed by npm ci here).
// stdin: a JSON array of cases
//   { "name", "kind": "identity", "principal", "action", "resource", "accountId", "context": {}, "policies": [{ "name", "policy" }],
//     "resourcePolicy"?: <policy> }   (e.g. a KMS key policy, without which KMS allows nothing)
//   { "name", "kind": "trust", "principal", "action", "resource", "accountId", "context": {}, "trust": <policy> }
// stdout: a JSON array of { "name", "result", "errors"? } in the same order; result is Allowed, ExplicitlyDenied,
// ImplicitlyDenied, or Error (the request or a policy is invalid; errors says why).
//
// Trust cases use the simulator's unvalidated entry point: its request check keeps only the condition keys that the
// service authorization reference lists for sts:AssumeRoleWithWebIdentity, and that list has GitHub's other claims
// but not the provider's :sub and :aud keys, the two that AWS documents for GitHub's trust policies
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub).
// The trust document itself is checked with the trust-policy validator first.
import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate'
import { createValidatedPolicy, validateIdentityPolicy, validateResourcePolicy, validateTrustPolicy } from '@cloud-copilot/iam-policy'

let raw = ''
for await (const chunk of process.stdin) raw += chunk
const cases = JSON.parse(raw)

const request = (c) => ({
  principal: c.principal,
  action: c.action,
  resource: { resource: c.resource, accountId: c.accountId },
  contextVariables: c.context ?? {}
})

async function evaluate(c) {
  if (c.kind === 'trust') {
    const errors = validateTrustPolicy(c.trust)
    if (errors.length > 0) return { name: c.name, result: 'Error', errors }
    const result = runUnsafeSimulation(
      {
        request: request(c),
        identityPolicies: [],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: createValidatedPolicy(c.trust, validateTrustPolicy, { name: 'trust' })
      },
      {}
    )
    return { name: c.name, result }
  }
  if (c.kind === 'identity') {
    for (const p of c.policies) {
      const errors = validateIdentityPolicy(p.policy)
      if (errors.length > 0) return { name: c.name, result: 'Error', errors: { [p.name]: errors } }
    }
    if (c.resourcePolicy) {
      const errors = validateResourcePolicy(c.resourcePolicy)
      if (errors.length > 0) return { name: c.name, result: 'Error', errors: { resourcePolicy: errors } }
    }
    const r = await runSimulation(
      {
        request: request(c),
        identityPolicies: c.policies,
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(c.resourcePolicy ? { resourcePolicy: c.resourcePolicy } : {})
      },
      {}
    )
    return r.resultType === 'error'
      ? { name: c.name, result: 'Error', errors: r.errors }
      : { name: c.name, result: r.overallResult }
  }
  return { name: c.name, result: 'Error', errors: `unknown kind ${c.kind}` }
}

const results = []
for (const c of cases) results.push(await evaluate(c))
process.stdout.write(JSON.stringify(results))
