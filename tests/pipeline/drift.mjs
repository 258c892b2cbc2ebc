// The drift path: drift alarm -> CloudWatch alarm state change event -> EventBridge rule -> state machine execution.
import { randomUUID } from 'node:crypto';

/** The event CloudWatch sends to EventBridge when an alarm changes state (metric alarms, as AWS documents it). */
export function alarmStateChange(stack, alarm, value, previous) {
  const time = new Date().toISOString();
  const reason = value === 'ALARM' ? `Threshold Crossed: 1 datapoint was greater than the threshold (${alarm.threshold}).` : 'Threshold Crossed: no datapoint was greater than the threshold.';
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account: stack.account,
    time,
    region: stack.region,
    resources: [alarm.arn],
    detail: {
      alarmName: alarm.alarm_name,
      state: { value, reason, timestamp: time },
      previousState: { value: previous, reason: 'previous evaluation', timestamp: time },
      configuration: {
        description: alarm.alarm_description ?? '',
        metrics: [{
          id: randomUUID(),
          metricStat: {
            metric: { namespace: alarm.namespace, name: alarm.metric_name, dimensions: stack.resolver.resolveDeep(alarm.dimensions ?? {}) },
            period: alarm.period,
            stat: alarm.statistic,
          },
          returnData: true,
        }],
      },
    },
  };
}

/** EventBridge rules with a target that starts this stack's state machine. */
export function driftRoutes(stack) {
  return stack.targets
    .filter((target) => stack.resolver.resolve(target.arn) === stack.machine.arn)
    .map((target) => {
      const rule = stack.rules.find((r) => stack.resolver.resolve(target.rule) === r.name);
      if (!rule) throw new Error(`${stack.name}: target ${target.id} names rule ${target.rule}, which the stack does not declare`);
      return { rule, target };
    });
}

/** The execution input EventBridge gives the target for `event`. */
export function targetInput(target, event) {
  if (target.input_transformer || target.input_path) {
    throw new Error(`target ${target.id}: input_transformer / input_path are not modelled here; extend drift.mjs before relying on them`);
  }
  return target.input !== undefined ? JSON.parse(target.input) : event;
}

/** Problems with one route: which events it matches, its role, and the execution its input starts. */
export async function checkRoute({ stack, route, worker, runGoodScenario, pattern = stack.resolver.resolve(route.rule.pattern) }) {
  const problems = [];
  const resources = JSON.parse(pattern).resources ?? [];
  const alarm = stack.alarms.find((a) => resources.includes(a.arn));
  if (!alarm) return [`rule ${route.rule.name} names no alarm of this stack in its resources (${resources.join(', ')})`];
  const other = stack.alarms.find((a) => a.arn !== alarm.arn);
  const matches = async (event) => (await worker.request({ op: 'match', pattern, event })).match;

  const firing = alarmStateChange(stack, alarm, 'ALARM', 'OK');
  if (!(await matches(firing))) problems.push(`rule ${route.rule.name} does not match ${alarm.alarm_name} going to ALARM`);
  if (await matches(alarmStateChange(stack, alarm, 'OK', 'ALARM'))) problems.push(`rule ${route.rule.name} matches ${alarm.alarm_name} going back to OK`);
  if (other && (await matches(alarmStateChange(stack, other, 'ALARM', 'OK')))) problems.push(`rule ${route.rule.name} matches another alarm (${other.alarm_name})`);
  if (!route.target.role_arn || !stack.resolver.resolve(route.target.role_arn).startsWith(`arn:aws:iam::${stack.account}:role/`)) {
    problems.push(`target ${route.target.id} has no role for EventBridge to start the execution with`);
  }
  if (problems.length) return problems;

  const run = await runGoodScenario(targetInput(route.target, firing));
  problems.push(...run.problems);
  if (run.output?.detail?.alarmName !== alarm.alarm_name) problems.push('the execution did not receive the alarm event as its input');
  return problems;
}
