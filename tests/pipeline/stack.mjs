// Reads a synthesized stack and resolves the Terraform references the pipeline needs, from the stack's own JSON.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const REFERENCE = /\$\{([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_]+)\}/g;

export function loadStacks(folder) {
  if (!existsSync(folder)) throw new Error(`stacks folder ${folder} does not exist; run make synth or set MLOPSTF_STACKS_DIR`);
  // cdktf's manifest beside the stacks folder names every stack synth wrote: none may be missing (a synth in progress).
  const manifest = join(folder, '..', 'manifest.json');
  if (existsSync(manifest)) {
    const missing = Object.keys(JSON.parse(readFileSync(manifest, 'utf8')).stacks ?? {})
      .filter((name) => !existsSync(join(folder, name, 'cdk.tf.json')));
    if (missing.length) throw new Error(`${manifest} lists stacks missing from ${folder}: ${missing.join(', ')} (is a synth running?)`);
  }
  return readdirSync(folder)
    .filter((name) => existsSync(join(folder, name, 'cdk.tf.json')))
    .sort()
    .map((name) => ({ name, dir: join(folder, name), json: JSON.parse(readFileSync(join(folder, name, 'cdk.tf.json'), 'utf8')) }))
    .filter((stack) => Object.keys(stack.json.resource?.aws_sfn_state_machine ?? {}).length > 0);
}

function fakeId(prefix, seed, length = 17) {
  return prefix + createHash('sha256').update(seed).digest('hex').slice(0, length);
}

export function resolver(stackJson) {
  const provider = stackJson.provider?.aws?.[0] ?? {};
  const account = provider.allowed_account_ids?.[0];
  const region = provider.region;
  if (!account || !region) throw new Error('provider.aws[0] needs allowed_account_ids and region');

  const resource = (type, name) => {
    const found = stackJson.resource?.[type]?.[name];
    if (!found) throw new Error(`reference to ${type}.${name}, which the stack does not declare`);
    return found;
  };
  const literal = (type, name, key) => {
    const value = resource(type, name)[key];
    if (typeof value !== 'string') throw new Error(`${type}.${name} has no literal ${key} to resolve a reference with`);
    return resolve(value);
  };
  const arn = (service, rest, withRegion = true) => `arn:aws:${service}:${withRegion ? region : ''}:${account}:${rest}`;
  const derived = {
    'aws_lambda_function.arn': (n) => arn('lambda', `function:${literal('aws_lambda_function', n, 'function_name')}`),
    'aws_s3_bucket.arn': (n) => `arn:aws:s3:::${literal('aws_s3_bucket', n, 'bucket')}`,
    'aws_ecr_repository.repository_url': (n) => `${account}.dkr.ecr.${region}.amazonaws.com/${literal('aws_ecr_repository', n, 'name')}`,
    'aws_sagemaker_model_package_group.arn': (n) => arn('sagemaker', `model-package-group/${literal('aws_sagemaker_model_package_group', n, 'model_package_group_name')}`),
    'aws_sns_topic.arn': (n) => arn('sns', literal('aws_sns_topic', n, 'name')),
    'aws_iam_role.arn': (n) => arn('iam', `role/${literal('aws_iam_role', n, 'name')}`, false),
    'aws_kms_key.arn': (n) => arn('kms', `key/${fakeId('', `kms:${account}:${n}`, 32).replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-')}`),
    'aws_subnet.id': (n) => fakeId('subnet-', `subnet:${account}:${n}`),
    'aws_security_group.id': (n) => fakeId('sg-', `sg:${account}:${n}`),
    'aws_cloudwatch_metric_alarm.arn': (n) => arn('cloudwatch', `alarm:${literal('aws_cloudwatch_metric_alarm', n, 'alarm_name')}`),
    'aws_sfn_state_machine.arn': (n) => arn('states', `stateMachine:${literal('aws_sfn_state_machine', n, 'name')}`),
    'aws_cloudwatch_log_group.arn': (n) => arn('logs', `log-group:${literal('aws_cloudwatch_log_group', n, 'name')}`),
  };
  const attribute = (type, name, key) => {
    const rule = derived[`${type}.${key}`];
    if (rule) return rule(name);
    if (key !== 'arn' && key !== 'id' && typeof resource(type, name)[key] === 'string') return literal(type, name, key);
    throw new Error(`cannot resolve \${${type}.${name}.${key}}: no rule for ${type}.${key}`);
  };
  function resolve(text) {
    const out = text.replace(REFERENCE, (_, type, name, key) => attribute(type, name, key));
    if (out.includes('${')) throw new Error(`unresolvable reference left in ${JSON.stringify(text)}`);
    return out;
  }
  const resolveDeep = (value) => {
    if (typeof value === 'string') return resolve(value);
    if (Array.isArray(value)) return value.map(resolveDeep);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveDeep(v)]));
    return value;
  };
  return { account, region, resolve, resolveDeep, attribute };
}

/** Everything the scenarios need from one stack, references resolved. */
export function describeStack(stack) {
  const r = resolver(stack.json);
  const resources = stack.json.resource;
  const machines = Object.entries(resources.aws_sfn_state_machine);
  if (machines.length !== 1) throw new Error(`${stack.name}: expected one aws_sfn_state_machine, found ${machines.length}`);
  const [machineId, machine] = machines[0];
  const of = (type) => Object.entries(resources[type] ?? {});
  const functions = Object.fromEntries(of('aws_lambda_function').map(([id, f]) => [
    r.attribute('aws_lambda_function', id, 'arn'),
    { name: r.resolve(f.function_name), handler: f.handler, archive: f.filename ?? null,
      environment: r.resolveDeep(f.environment?.variables ?? {}) },
  ]));
  const glueJobs = Object.fromEntries(of('aws_glue_job').map(([, job]) => {
    const resolved = r.resolveDeep({ ...job, '//': undefined, tags: undefined });
    return [resolved.name, resolved];
  }));
  return {
    name: stack.name,
    account: r.account,
    region: r.region,
    resolver: r,
    machine: {
      id: machineId,
      name: r.resolve(machine.name),
      arn: r.attribute('aws_sfn_state_machine', machineId, 'arn'),
      roleArn: r.resolve(machine.role_arn),
      definition: JSON.parse(r.resolve(machine.definition)),
    },
    worker: {
      account: r.account,
      region: r.region,
      stack_dir: stack.dir,
      functions,
      glue_jobs: glueJobs,
      buckets: of('aws_s3_bucket').map(([, b]) => r.resolve(b.bucket)),
      topics: of('aws_sns_topic').map(([id]) => r.attribute('aws_sns_topic', id, 'arn')),
      model_package_groups: of('aws_sagemaker_model_package_group').map(([, g]) => r.resolve(g.model_package_group_name)),
    },
    rules: of('aws_cloudwatch_event_rule').map(([id, rule]) => ({ id, name: r.resolve(rule.name), pattern: rule.event_pattern })),
    targets: of('aws_cloudwatch_event_target').map(([id, t]) => ({ id, ...t })),
    alarms: of('aws_cloudwatch_metric_alarm').map(([id, a]) => ({ id, ...a, arn: r.attribute('aws_cloudwatch_metric_alarm', id, 'arn') })),
  };
}
