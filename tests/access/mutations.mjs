// The simulation must fail when a policy is broken: each mutation removes or loosens one statement in a copy of a
// synthesized stack and expects named cases of the workload that depends on it to fail.
import { Stack } from './lib/stack.mjs'
import { runCases } from './lib/runner.mjs'
import * as ciRoles from './workloads/ci-roles.mjs'
import * as isolation from './workloads/isolation.mjs'
import * as stateMachine from './workloads/state-machine.mjs'
import * as trainingJob from './workloads/training-job.mjs'

function mutated(stacks, name, change) {
  const original = stacks.get(name)
  if (!original) throw new Error(`mutation: no stack ${name}`)
  const json = structuredClone(original.json)
  change(json)
  return new Map([...stacks].map(([n, s]) => [n, n === name ? new Stack(name, json, original.dir) : s]))
}

/** The data source of a policy document whose construct path ends with `suffix`. */
function documentBy(json, suffix) {
  const found = Object.entries(json.data.aws_iam_policy_document).find(([, b]) => b['//']?.metadata?.path?.endsWith(suffix))
  if (!found) throw new Error(`mutation: no policy document at */${suffix}`)
  return found[1]
}

function dropStatement(json, suffix, sid) {
  const doc = documentBy(json, suffix)
  const before = doc.statement.length
  doc.statement = doc.statement.filter((s) => s.sid !== sid)
  if (doc.statement.length === before) throw new Error(`mutation: ${suffix} has no statement ${sid}`)
}

const mutation = (description, stack, workload, change, caught) => ({
  async run(stacks) {
    const broken = mutated(stacks, stack, change)
    const results = await runCases(broken, workload.cases(broken).filter((c) => c.role.stack.name === stack))
    const failing = results.filter((r) => !r.ok && caught(r))
    return failing.length > 0
      ? { ok: true, line: `${description}: caught by ${failing.length} failing case(s), e.g. ${failing[0].line}` }
      : { ok: false, line: `${description}: no case failed; the simulation would not notice this break` }
  },
})

export const MUTATIONS = [
  mutation('dev: drop ReadObjects from the SageMaker execution role\'s data-bucket grant', 'dev', trainingJob,
    (json) => dropStatement(json, 'sagemaker-execution-role/read-data-bucket-document', 'ReadObjects'),
    (r) => r.expect === 'Allowed' && r.action === 's3:GetObject'),
  mutation('staging: drop DenyInsecureTransport from the data bucket policy', 'staging', isolation,
    (json) => dropStatement(json, 'data-bucket/policy-document', 'DenyInsecureTransport'),
    (r) => r.expect === 'Denied' && r.context?.['aws:SecureTransport'] === 'false'),
  mutation('bootstrap-prod: the apply role trusts any subject of the repository', 'bootstrap-prod', ciRoles,
    (json) => {
      const st = json.data.aws_iam_policy_document['github-apply-trust'].statement[0]
      const sub = st.condition.find((c) => c.variable.endsWith(':sub'))
      sub.test = 'StringLike'
      sub.values = [sub.values[0].replace(/:environment:.*$/, ':*')]
    },
    (r) => r.expect === 'Denied' && r.trust?.label === 'a pull-request token'),
  mutation('prod: the SageMaker VPC guard no longer denies jobs without subnets', 'prod', stateMachine,
    (json) => dropStatement(json, 'sagemaker-vpc-guard/document', 'DenyWithoutVpc'),
    (r) => r.expect === 'Denied' && r.action === 'sagemaker:CreateTrainingJob' && !r.context?.['sagemaker:VpcSubnets']),
]
