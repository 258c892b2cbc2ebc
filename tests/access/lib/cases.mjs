// A case: one request a workload's role makes (or must not be able to make) and the decision expected of AWS.

/** Cases that must be allowed for `role`, each request from `requests`; `source` says where the need comes from. */
export const allowed = (role, workload, source, requests) =>
  requests.map((r) => ({ role, workload, source, expect: 'Allowed', ...r }))

/** Cases that must be refused (explicitly or for lack of an allow). */
export const refused = (role, workload, source, requests) =>
  requests.map((r) => ({ role, workload, source, expect: 'Denied', ...r }))

/** A role of the stack by ARN (as a resource names it). */
export function roleByArn(stack, arn) {
  const role = stack.roles().find((r) => r.arn === arn)
  if (!role) throw new Error(`${stack.name}: no role has the ARN ${arn}`)
  return role
}

/** Every environment stack (one that has a training pipeline), with its name. */
export const environmentStacks = (stacks) => [...stacks.values()].filter((s) => s.resources('aws_sfn_state_machine').length > 0)
export const bootstrapStacks = (stacks) => [...stacks.values()].filter((s) => s.resources('aws_iam_openid_connect_provider').length > 0)
