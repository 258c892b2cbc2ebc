// Reads a synthesized stack and resolves the Terraform references the pipeline needs, from the stack's own JSON.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { referenceResolver } from '../shared/references.mjs';

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

/** Everything the scenarios need from one stack, references resolved. */
export function describeStack(stack) {
  const r = referenceResolver(stack.name, stack.json);
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
    // Configured, not read off the definition: the model role's grant on the batch output exists only with a batch transform.
    batchTransform: of('aws_iam_role_policy').some(([, p]) => p.name === 'read-write-data-bucket-batch-transform-output'),
    rules: of('aws_cloudwatch_event_rule').map(([id, rule]) => ({ id, name: r.resolve(rule.name), pattern: rule.event_pattern })),
    targets: of('aws_cloudwatch_event_target').map(([id, t]) => ({ id, ...t })),
    alarms: of('aws_cloudwatch_metric_alarm').map(([id, a]) => ({ id, ...a, arn: r.attribute('aws_cloudwatch_metric_alarm', id, 'arn') })),
  };
}
