// Who may assume each workload role: the one service (or role) its trust policy names, on behalf of its own
// account where the trust pins aws:SourceAccount (the confused-deputy guard,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html); never another service or account.
// GitHub-trusted roles are covered by ci-roles.mjs.
import { allowed, refused } from '../lib/cases.mjs'

export function cases(stacks) {
  const out = []
  const accounts = [...new Set([...stacks.values()].map((s) => s.account))]
  for (const stack of stacks.values()) {
    for (const role of stack.roles()) {
      const source = `${role.path} trust`
      for (const st of role.trust.Statement) {
        const pinned = st.Condition?.StringEquals?.['aws:SourceAccount']?.[0]
        const other = accounts.find((a) => a !== stack.account)
        for (const service of st.Principal?.Service ?? []) {
          const context = pinned ? { 'aws:SourceAccount': pinned } : {}
          out.push(...allowed(role, 'trust', source, [{ trust: { principal: service, action: 'sts:AssumeRole', context } }]))
          const wrongService = service === 'ec2.amazonaws.com' ? 'lambda.amazonaws.com' : 'ec2.amazonaws.com'
          out.push(...refused(role, 'trust', source, [
            { trust: { principal: wrongService, action: 'sts:AssumeRole', context, label: 'another service' } },
            ...(pinned ? [{ trust: { principal: service, action: 'sts:AssumeRole', context: { 'aws:SourceAccount': other }, label: `on behalf of ${other}` } }] : []),
          ]))
        }
        for (const arn of st.Principal?.AWS ?? []) {
          out.push(...allowed(role, 'trust', source, [{ trust: { principal: arn, action: 'sts:AssumeRole' } }]))
          const sibling = arn.replace(/-apply$/, '-plan')
          out.push(...refused(role, 'trust', source, [
            { trust: { principal: sibling === arn ? `${arn}-other` : sibling, action: 'sts:AssumeRole', label: 'another role of the account' } },
            { trust: { principal: arn.replace(/::\d{12}:/, `::${other}:`), action: 'sts:AssumeRole', label: 'the same role name in another account' } },
          ]))
        }
      }
    }
  }
  return out
}
