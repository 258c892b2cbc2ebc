// Evaluates cases and reports each with principal, action, resource, decision and the statement that decided it.
import { evaluate, evaluateTrust } from './evaluate.mjs'

const short = (arn) => arn.replace(/^arn:aws:/, '')

export async function runCases(stacks, cases) {
  const results = []
  for (const c of cases) {
    const who = `${c.role.stack.name} ${c.role.name}`
    if (c.check) {
      results.push({ ...c, roleKey: key(c.role), ok: !c.problem, line: `${who} ${c.check}: ${c.problem ?? 'ok'} [${c.source}]` })
      continue
    }
    let outcome
    try {
      outcome = c.trust ? evaluateTrust(c.role, c.trust) : await evaluate(stacks, { principal: c.role, action: c.action, resource: c.resource, context: c.context })
    } catch (e) {
      results.push({ ...c, roleKey: key(c.role), ok: false, line: `${who} ${c.trust ? 'sts' : c.action}: ${e.message}` })
      continue
    }
    const ok = c.expect === 'Allowed' ? outcome.decision === 'Allowed' : outcome.decision !== 'Allowed'
    const what = c.trust
      ? `${c.trust.action} by ${c.trust.principal}${c.trust.label ? ` (${c.trust.label})` : ''}`
      : `${c.action} ${short(c.resource)}`
    const context = c.context && Object.keys(c.context).length ? ` ${JSON.stringify(c.context)}` : ''
    results.push({
      ...c,
      roleKey: key(c.role),
      decision: outcome.decision,
      ok,
      line: `${who} ${what}${context} -> ${outcome.decision} (expected ${c.expect}) by ${outcome.by.join('; ') || '-'} [${c.workload}${c.note ? `: ${c.note}` : ''}; ${c.source}]`,
    })
  }
  return results
}

export const key = (role) => `${role.stack.name} ${role.name}`

/** A line for each role of each stack that lacks an allowed or a refused IAM case. */
export function roleCoverage(stacks, results) {
  const gaps = []
  for (const stack of stacks.values()) {
    for (const role of stack.roles()) {
      const mine = results.filter((r) => r.roleKey === key(role) && !r.check)
      if (!mine.some((r) => r.expect === 'Allowed')) gaps.push(`coverage: ${key(role)} has no allowed case`)
      if (!mine.some((r) => r.expect === 'Denied')) gaps.push(`coverage: ${key(role)} has no refused case`)
    }
  }
  return gaps
}
