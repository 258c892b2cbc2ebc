// The pipeline scenarios: what each feeds the stand-ins, and what the execution must then have done.
const HAPPY_PATH = ['ValidateData', 'Preprocess', 'Train', 'Evaluate', 'MeetsThreshold', 'RegisterModel', 'NotifyRegistered'];
const BATCH_PATH = ['ValidateData', 'Preprocess', 'Train', 'Evaluate', 'MeetsThreshold', 'RegisterModel', 'CreateBatchModel', 'BatchTransform', 'DeleteBatchModel', 'NotifyRegistered'];
const happyPath = (expect) => (expect.batchTransform ? BATCH_PATH : HAPPY_PATH);
const TRAINING_HOURS = 3600;

/** What the scenarios expect of one stack, taken from its configuration rather than from the definition. */
export function expectations(stack) {
  const functions = Object.values(stack.worker.functions);
  const evaluation = functions.find((f) => f.handler.startsWith('model_evaluation.'));
  if (!evaluation) throw new Error(`${stack.name}: no model_evaluation Lambda function`);
  const groups = stack.worker.model_package_groups;
  if (groups.length !== 1) throw new Error(`${stack.name}: expected one model package group, found ${groups.length}`);
  const alerts = stack.worker.topics.find((arn) => arn.endsWith('-alerts'));
  if (!alerts) throw new Error(`${stack.name}: no alerts topic`);
  return {
    metric: evaluation.environment.METRIC_NAME,
    threshold: Number(evaluation.environment.THRESHOLD),
    group: groups[0],
    alerts,
    batchTransform: stack.batchTransform,
    inferenceImage: new RegExp(`^${stack.account}\\.dkr\\.ecr\\.${stack.region}\\.amazonaws\\.com/mlopstf-${stack.name}/inference:[A-Za-z0-9._-]+$`),
  };
}

const trained = (expect, value) => ({
  status: 'Completed', seconds: TRAINING_HOURS,
  log: `[0] train:auc=0.99\n[9] ${expect.metric}=${value} train:auc=0.99`,
});

class Check {
  problems = [];
  that(condition, message) {
    if (!condition) this.problems.push(message);
  }
  path(run, expected) {
    this.that(JSON.stringify(run.path) === JSON.stringify(expected), `path ${run.path.join(' > ')}, expected ${expected.join(' > ')}`);
  }
  succeeded(run) {
    this.that(!run.failure, `execution failed: ${run.failure?.Error}: ${run.failure?.Cause?.slice(0, 300)}`);
  }
  failedWithPipelineFailed(run) {
    this.that(run.failure?.Error === 'PipelineFailed', `execution ended with ${run.failure?.Error ?? 'success'}, expected the PipelineFailed state`);
  }
  nothingRegistered(run) {
    this.that(run.records.model_packages.length === 0, `${run.records.model_packages.length} model package(s) registered, expected none`);
  }
  oneNotification(run, expect, subject, ...contents) {
    const sent = run.records.sns;
    this.that(sent.length === 1, `${sent.length} SNS messages, expected 1`);
    const [message] = sent;
    if (!message) return;
    this.that(message.TopicArn === expect.alerts, `published to ${message.TopicArn}, expected ${expect.alerts}`);
    this.that(message.Subject?.includes(subject), `subject ${JSON.stringify(message.Subject)} lacks ${JSON.stringify(subject)}`);
    for (const text of contents) this.that(message.Message?.includes(text), `message lacks ${JSON.stringify(text)}: ${message.Message?.slice(0, 300)}`);
  }
  batchTransformed(run, expect) {
    const jobs = run.records.transform_jobs;
    if (!expect.batchTransform) {
      this.that(jobs.length === 0, `${jobs.length} transform jobs ran, expected none (no batch transform configured)`);
      return;
    }
    this.that(jobs.length === 1, `${jobs.length} transform jobs ran, expected 1`);
    const [job] = jobs;
    const [model] = run.records.models;
    if (!job || !model) return;
    const artifacts = run.output?.training?.ModelArtifacts;
    this.that(model.PrimaryContainer?.ModelDataUrl === artifacts, `the batch model serves ${model.PrimaryContainer?.ModelDataUrl}, expected the training job's artifacts ${artifacts}`);
    this.that(expect.inferenceImage.test(model.PrimaryContainer?.Image ?? ''), `the batch model's image ${model.PrimaryContainer?.Image} is not the inference image`);
    this.that(model.VpcConfig?.Subnets?.length > 0 && model.EnableNetworkIsolation === true, 'the batch model runs outside the VPC or without network isolation');
    this.that(job.ModelName === model.ModelName, `the transform job uses model ${job.ModelName}, expected ${model.ModelName}`);
    this.that(/\/batch-transform\/input\/$/.test(job.TransformInput?.DataSource?.S3DataSource?.S3Uri ?? ''), `transform input ${job.TransformInput?.DataSource?.S3DataSource?.S3Uri}`);
    this.that((job.TransformOutput?.S3OutputPath ?? '').endsWith(`/batch-transform/output/${run.executionName}/`), `transform output ${job.TransformOutput?.S3OutputPath} is not the execution's folder`);
    this.that(run.records.deleted_models.includes(model.ModelName), `the batch model ${model.ModelName} was not deleted afterwards`);
  }
  registered(run, expect) {
    const packages = run.records.model_packages;
    this.that(packages.length === 1, `${packages.length} model packages registered, expected 1`);
    const [registered] = packages;
    if (!registered) return;
    this.that(registered.status === 'PendingManualApproval', `model package status ${registered.status}, expected PendingManualApproval`);
    this.that(registered.group === expect.group, `registered in group ${registered.group}, expected ${expect.group}`);
    const containers = registered.request.InferenceSpecification?.Containers ?? [];
    this.that(containers.length === 1 && expect.inferenceImage.test(containers[0].Image),
      `inference image ${containers.map((c) => c.Image).join(', ')} does not match ${expect.inferenceImage}`);
    const artifacts = run.output?.training?.ModelArtifacts;
    this.that(artifacts && containers[0]?.ModelDataUrl === artifacts, `ModelDataUrl ${containers[0]?.ModelDataUrl}, expected the training job's artifacts ${artifacts}`);
    this.that(run.output?.registration?.ModelPackageArn === registered.arn, 'the output does not carry the registered package ARN');
  }
}

export const SCENARIOS = [
  {
    name: 'model above threshold is registered for approval',
    setup: (expect) => ({ data: 'good', training: trained(expect, expect.threshold + 0.1) }),
    verify(run, expect, check) {
      check.path(run, happyPath(expect));
      check.succeeded(run);
      check.registered(run, expect);
      check.batchTransformed(run, expect);
      check.oneNotification(run, expect, 'registered', run.records.model_packages[0]?.arn ?? '<no package>');
      check.that(run.records.rejected.length === 0, `requests rejected by the API shape: ${JSON.stringify(run.records.rejected)}`);
    },
  },
  {
    name: 'model exactly at threshold is registered',
    setup: (expect) => ({ data: 'good', training: trained(expect, expect.threshold) }),
    verify(run, expect, check) {
      check.path(run, happyPath(expect));
      check.registered(run, expect);
    },
  },
  {
    name: 'model below threshold is rejected and notified',
    setup: (expect) => ({ data: 'good', training: trained(expect, expect.threshold - 0.05) }),
    verify(run, expect, check) {
      check.path(run, [...HAPPY_PATH.slice(0, 5), 'NotifyRejected']);
      check.succeeded(run);
      check.nothingRegistered(run);
      check.oneNotification(run, expect, 'below threshold', String(expect.threshold - 0.05), run.output?.training?.TrainingJobName ?? '<no job>');
    },
  },
  {
    name: 'invalid data stops before Glue runs',
    setup: () => ({ data: 'invalid' }),
    verify(run, expect, check) {
      check.path(run, ['ValidateData', 'NotifyFailure', 'PipelineFailed']);
      check.failedWithPipelineFailed(run);
      check.that(run.records.glue_runs.length === 0, 'the Glue job was started');
      check.that(run.records.attempts.ValidateData === 1, `validation ran ${run.records.attempts.ValidateData} times; a data error must not be retried`);
      check.nothingRegistered(run);
      check.oneNotification(run, expect, 'failed', 'DataValidationError', 'missing required columns');
    },
  },
  {
    name: 'Glue failure is notified with its cause',
    setup: () => ({ data: 'good', glue: { state: 'FAILED', seconds: 420, error_message: 'AnalysisException: Table or view not found: raw' } }),
    verify(run, expect, check) {
      check.path(run, ['ValidateData', 'Preprocess', 'NotifyFailure', 'PipelineFailed']);
      check.failedWithPipelineFailed(run);
      check.that(run.records.training_jobs.length === 0, 'a training job was started after the Glue failure');
      check.oneNotification(run, expect, 'failed', 'Table or view not found', 'FAILED');
    },
  },
  {
    name: 'training failure is notified with its cause',
    setup: () => ({ data: 'good', training: { status: 'Failed', seconds: 900, failure_reason: 'AlgorithmError: ExecuteUserScriptError: exit code 1' } }),
    verify(run, expect, check) {
      check.path(run, ['ValidateData', 'Preprocess', 'Train', 'NotifyFailure', 'PipelineFailed']);
      check.failedWithPipelineFailed(run);
      check.that(run.records.invocations.every((i) => !i.function.endsWith('-model-evaluation')), 'the evaluation ran after a failed training job');
      check.nothingRegistered(run);
      check.oneNotification(run, expect, 'failed', 'AlgorithmError: ExecuteUserScriptError');
    },
  },
  {
    name: 'training that never ends times out and is notified',
    setup: () => ({ data: 'good', training: { status: 'InProgress' } }),
    verify(run, expect, check, machine) {
      const limit = machine.definition.States.Train?.TimeoutSeconds;
      check.path(run, ['ValidateData', 'Preprocess', 'Train', 'NotifyFailure', 'PipelineFailed']);
      check.failedWithPipelineFailed(run);
      check.that(typeof limit === 'number' && run.virtualSeconds >= limit && run.virtualSeconds < limit + TRAINING_HOURS, `gave up after ${run.virtualSeconds} s (virtual), Train's TimeoutSeconds is ${limit}`);
      check.nothingRegistered(run);
      check.oneNotification(run, expect, 'failed', 'States.Timeout');
    },
  },
  {
    name: 'retryable Lambda errors are retried',
    setup: (expect) => ({
      data: 'good',
      training: trained(expect, expect.threshold + 0.1),
      faults: { ValidateData: ['Lambda.TooManyRequestsException', 'Lambda.ServiceException'], Evaluate: ['Lambda.ServiceException'] },
    }),
    verify(run, expect, check) {
      check.path(run, happyPath(expect));
      check.succeeded(run);
      check.that(run.records.attempts.ValidateData === 3, `ValidateData attempted ${run.records.attempts.ValidateData} times, expected 3`);
      check.that(run.records.attempts.Evaluate === 2, `Evaluate attempted ${run.records.attempts.Evaluate} times, expected 2`);
      check.registered(run, expect);
    },
  },
];

export function verify(scenario, run, expect, machine) {
  const check = new Check();
  check.that(run.fatal.length === 0, `stand-in failure: ${run.fatal.join('; ')}`);
  scenario.verify(run, expect, check, machine);
  return check.problems;
}
