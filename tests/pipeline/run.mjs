// Runs the synthesized training pipeline of every environment stack locally: scenarios, broken definitions,
// the drift path. Usage: node run.mjs [stacks folder]  (default $MLOPSTF_STACKS_DIR or cdktf.out/stacks)
import { randomUUID } from 'node:crypto';
import { describeStack, loadStacks } from './stack.mjs';
import { VirtualClock } from './clock.mjs';
import { Worker } from './worker.mjs';
import { execute } from './execute.mjs';
import { SCENARIOS, expectations, verify } from './scenarios.mjs';
import { MUTATIONS, mutated } from './mutations.mjs';
import { checkRoute, driftRoutes } from './drift.mjs';
import { definitionProblems, errorNameNotes } from './findings.mjs';

const folder = process.argv[2] ?? process.env.MLOPSTF_STACKS_DIR ?? 'cdktf.out/stacks';
const started = Date.now();
const tally = { passed: 0, failed: 0, skipped: 0 };
const allFindings = new Map();

/** Findings are keyed by their first words, so one finding across stacks is listed once, with its stacks. */
function note(finding, stackName) {
  const key = finding.split(',')[0].split(':')[0];
  const seen = allFindings.get(key) ?? { text: finding, stacks: [] };
  seen.stacks.push(stackName);
  allFindings.set(key, seen);
}

function report(stackName, name, problems, detail = '') {
  const ok = problems.length === 0;
  tally[ok ? 'passed' : 'failed'] += 1;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${stackName} | ${name}${detail ? `\n       ${detail}` : ''}`);
  for (const problem of problems) console.log(`       - ${problem}`);
}

function summary(run) {
  const end = run.failure
    ? `failed ${run.failure.Error}`
    : `output ${Object.keys(run.output ?? {}).join(',')}${run.output?.registration ? ` package ${run.output.registration.ModelPackageArn}` : ''}`;
  const sns = run.records.sns.map((m) => `"${m.Subject}"`).join(', ') || 'none';
  return `${run.path.join(' > ')} | ${end} | SNS ${sns} | ${run.virtualSeconds} s virtual`;
}

async function testStack(stack, clock) {
  const expect = expectations(stack);
  const worker = new Worker(stack.worker);
  const run = (scenario, definition, input) => execute({ machine: stack.machine, definition, worker, clock, scenario: scenario.setup(expect), input });
  const scenario = (name) => SCENARIOS.find((s) => s.name === name) ?? (() => { throw new Error(`no scenario "${name}"`); })();
  try {
    const { sources } = await worker.request({ op: 'sources' });
    for (const [name, source] of Object.entries(sources)) console.log(`     ${stack.name} | ${name} runs the handler in ${source}`);
    for (const s of SCENARIOS) {
      const result = await run(s);
      report(stack.name, s.name, verify(s, result, expect, stack.machine), summary(result));
    }
    for (const mutation of MUTATIONS) {
      const covering = scenario(mutation.covers);
      let definition;
      try {
        definition = mutated(stack.machine.definition, mutation);
      } catch (error) {
        report(stack.name, `broken definition: ${mutation.name}`, [error.message]);
        continue;
      }
      let caught;
      try {
        caught = verify(covering, await run(covering, definition), expect, { ...stack.machine, definition });
      } catch (error) {
        caught = [`the execution could not run: ${error.message}`];
      }
      report(stack.name, `broken definition: ${mutation.name}`,
        caught.length ? [] : [`"${mutation.covers}" still passes: the scenario does not cover this`],
        `"${mutation.covers}" now fails: ${caught[0] ?? '-'}`);
    }
    const routes = driftRoutes(stack);
    if (routes.length === 0) {
      tally.skipped += 1;
      console.log(`skip ${stack.name} | drift alarm starts the pipeline: no EventBridge rule targets the state machine`);
    }
    const happy = SCENARIOS[0];
    const runGoodScenario = async (input) => {
      const result = await run(happy, undefined, input);
      return { ...result, problems: verify(happy, result, expect, stack.machine) };
    };
    for (const route of routes) {
      report(stack.name, `drift alarm starts the pipeline (${route.rule.name})`, await checkRoute({ stack, route, worker, runGoodScenario }));
      const broken = JSON.parse(stack.resolver.resolve(route.rule.pattern));
      broken.detail.state.value = ['OK'];
      const caught = await checkRoute({ stack, route, worker, runGoodScenario, pattern: JSON.stringify(broken) });
      report(stack.name, 'broken drift pattern (state OK instead of ALARM) is caught',
        caught.length ? [] : ['the drift check still passes with a pattern that never fires on ALARM'], `caught: ${caught[0] ?? '-'}`);
    }
    // StartExecution accepts names of up to 80 characters with underscores; every valid name must get through.
    const nameProblems = [];
    for (const name of ['retrain_after_drift_2026-12-04', `retrain-${'x'.repeat(72)}`]) {
      const result = await execute({ machine: stack.machine, worker, clock, scenario: happy.setup(expect), name });
      const problems = verify(happy, result, expect, stack.machine);
      if (problems.length) {
        const detail = result.records.rejected.flatMap((r) => r.problems)[0] ?? problems[0];
        nameProblems.push(`execution name of ${name.length} characters (${name.slice(0, 24)}...): ${detail}`);
      }
    }
    report(stack.name, 'valid execution names (underscores, 80 characters) train and register', nameProblems);
    report(stack.name, 'every Lambda task retries the recommended service errors, timeouts are bounded, every task notifies on failure',
      definitionProblems(stack.machine.definition));
    for (const finding of await errorNameNotes(stack.machine.definition, worker)) note(finding, stack.name);
  } finally {
    worker.close();
  }
}

const clock = new VirtualClock();
clock.install();
try {
  const stacks = loadStacks(folder);
  if (stacks.length === 0) throw new Error(`no stack with an aws_sfn_state_machine under ${folder}`);
  for (const stack of stacks) {
    try {
      await testStack(describeStack(stack), clock);
    } catch (error) {
      report(stack.name, 'stack could not be tested', [error.message]);
    }
  }
} catch (error) {
  report('-', 'pipeline suite', [error.message]);
} finally {
  clock.uninstall();
}
for (const { text, stacks } of allFindings.values()) console.log(`finding (${stacks.join(', ')}): ${text}`);
console.log(`wall time ${((Date.now() - started) / 1000).toFixed(1)} s${tally.skipped ? `, ${tally.skipped} skipped` : ''}`);
console.log(`pipeline: ${tally.passed} passed, ${tally.failed} failed`);
process.exitCode = tally.failed ? 1 : 0;
