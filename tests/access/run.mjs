// make verify-access: every workload's run-time calls allowed, what must be refused refused, on the synthesized stacks.
// Usage: node run.mjs [--write-docs] [--quiet]   (stacks from $MLOPSTF_STACKS_DIR, default cdktf.out/stacks)
// Last line: "access: N passed, N failed".
import { readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { loadStacks } from './lib/stack.mjs'
import { runCases, roleCoverage } from './lib/runner.mjs'
import { accessTable } from './lib/report.mjs'
import { WORKLOADS } from './workloads/index.mjs'
import { MUTATIONS } from './mutations.mjs'

const root = new URL('../../', import.meta.url).pathname
const dir = resolve(root, process.env.MLOPSTF_STACKS_DIR ?? 'cdktf.out/stacks')
const writeDocs = process.argv.includes('--write-docs')
const quiet = process.argv.includes('--quiet')
const docsFile = resolve(root, 'docs/access.md')

const started = Date.now()
const stacks = loadStacks(dir)
const cases = WORKLOADS.flatMap((w) => w.cases(stacks))
const results = await runCases(stacks, cases)
let passed = 0
let failed = 0
const record = (ok, line) => {
  if (ok) passed++
  else failed++
  if (!ok || !quiet) console.log(`${ok ? 'PASS' : 'FAIL'} ${line}`)
}
for (const r of results) record(r.ok, r.line)

for (const gap of roleCoverage(stacks, results)) record(false, gap)
if (!quiet) console.log(`coverage: every role of ${stacks.size} stacks has allowed and refused cases (or a FAIL above names it)`)

for (const mutation of MUTATIONS) {
  const { ok, line } = await mutation.run(stacks)
  record(ok, `mutation: ${line}`)
}

const table = accessTable(stacks, results)
if (writeDocs) {
  writeFileSync(docsFile, table)
  console.log(`wrote ${docsFile}`)
}
let current = ''
try { current = readFileSync(docsFile, 'utf8') } catch { /* missing: reported below */ }
record(current === table, current === table
  ? 'docs/access.md matches the simulation'
  : 'docs/access.md is out of date with the simulation; run make verify-access WRITE_DOCS=1 and review the change')

console.log(`access: ${results.length} cases over ${new Set(results.map((r) => r.roleKey)).size} roles in ${((Date.now() - started) / 1000).toFixed(1)} s`)
console.log(`access: ${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
