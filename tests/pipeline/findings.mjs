// Static checks of the definition that no scenario can show. definitionProblems are counted as failures;
// errorNameNotes are reported only, because the names Step Functions raises for SageMaker throttling are not
// documented precisely enough to fail a build on.
// Step Functions' own names for Lambda invoke errors (docs: "Handle Lambda service exceptions").
const LAMBDA_SERVICE_ERRORS = ['Lambda.ClientExecutionTimeoutException', 'Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException'];
const STEP_FUNCTIONS_LAMBDA_ERRORS = [...LAMBDA_SERVICE_ERRORS, 'Lambda.TooManyRequestsException', 'Lambda.Unknown'];
const SERVICES = { Lambda: 'lambda', Glue: 'glue', SageMaker: 'sagemaker', SNS: 'sns' };

export async function errorNameNotes(definition, worker) {
  const found = [];
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type !== 'Task') continue;
    const retried = (state.Retry ?? []).flatMap((r) => r.ErrorEquals);
    for (const error of [...retried, ...(state.Catch ?? []).flatMap((c) => c.ErrorEquals)]) {
      const [prefix, code] = error.split('.', 2);
      if (!SERVICES[prefix] || STEP_FUNCTIONS_LAMBDA_ERRORS.includes(error)) continue;
      const { defined } = await worker.request({ op: 'defines_error', service: SERVICES[prefix], code });
      if (!defined) found.push(`${name} handles ${error}, an error the ${prefix} API model does not define, so Step Functions may never raise it under that name`);
    }
  }
  return found;
}

export function definitionProblems(definition) {
  const found = [];
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type !== 'Task') continue;
    const retried = (state.Retry ?? []).flatMap((r) => r.ErrorEquals);
    if (state.Resource === 'arn:aws:states:::lambda:invoke') {
      const missing = LAMBDA_SERVICE_ERRORS.filter((e) => !retried.includes(e) && !retried.includes('States.ALL'));
      if (missing.length) found.push(`${name} does not retry ${missing.join(', ')} (AWS's recommended Lambda service errors)`);
    }
    if (retried.includes('States.Timeout') && state.TimeoutSeconds === undefined && state.HeartbeatSeconds === undefined) {
      found.push(`${name} retries States.Timeout but sets neither TimeoutSeconds nor HeartbeatSeconds`);
    }
    const notifiesFailure = definition.States[state.Next]?.Type === 'Fail';
    if (!state.Catch && !notifiesFailure) found.push(`${name} has no Catch: if it fails, the execution fails without the failure notification`);
  }
  return found;
}
