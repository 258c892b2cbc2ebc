// Broken definitions: each mutation must make the scenario that covers it fail, or that scenario proves nothing.
const state = (definition, name) => {
  const found = definition.States[name];
  if (!found) throw new Error(`mutation target state ${name} is not in the definition`);
  return found;
};

export const MUTATIONS = [
  {
    name: 'Choice reads the wrong variable (validated row count instead of the metric)',
    covers: 'model below threshold is rejected and notified',
    mutate(definition) {
      const [rule] = state(definition, 'MeetsThreshold').Choices;
      rule.Variable = '$.validation.report.rows';
    },
  },
  {
    name: 'Choice compares with > instead of >=',
    covers: 'model exactly at threshold is registered',
    mutate(definition) {
      const [rule] = state(definition, 'MeetsThreshold').Choices;
      if (!('NumericGreaterThanEquals' in rule)) throw new Error('MeetsThreshold has no NumericGreaterThanEquals rule');
      rule.NumericGreaterThan = rule.NumericGreaterThanEquals;
      delete rule.NumericGreaterThanEquals;
    },
  },
  {
    name: 'Preprocess loses its Catch',
    covers: 'Glue failure is notified with its cause',
    mutate(definition) {
      delete state(definition, 'Preprocess').Catch;
    },
  },
  {
    name: 'Train writes its result to the wrong ResultPath',
    covers: 'model above threshold is registered for approval',
    mutate(definition) {
      state(definition, 'Train').ResultPath = '$.train';
    },
  },
  {
    name: 'Train Catch writes the error where NotifyFailure does not read it',
    covers: 'training failure is notified with its cause',
    mutate(definition) {
      state(definition, 'Train').Catch[0].ResultPath = '$.failure';
    },
  },
  {
    name: 'RegisterModel sends an approval status the API does not accept',
    covers: 'model above threshold is registered for approval',
    mutate(definition) {
      state(definition, 'RegisterModel').Parameters.ModelApprovalStatus = 'Pending';
    },
  },
  {
    name: 'RegisterModel approves the model outright',
    covers: 'model above threshold is registered for approval',
    mutate(definition) {
      state(definition, 'RegisterModel').Parameters.ModelApprovalStatus = 'Approved';
    },
  },
  {
    name: 'Train metric definition no longer matches the metric the container logs',
    covers: 'model above threshold is registered for approval',
    mutate(definition) {
      const [metric] = state(definition, 'Train').Parameters.AlgorithmSpecification.MetricDefinitions;
      metric.Regex = metric.Regex.replace('=', ': ');
    },
  },
  {
    name: 'ValidateData loses its Retry',
    covers: 'retryable Lambda errors are retried',
    mutate(definition) {
      delete state(definition, 'ValidateData').Retry;
    },
  },
  {
    name: 'Train loses its TimeoutSeconds',
    covers: 'training that never ends times out and is notified',
    mutate(definition) {
      delete state(definition, 'Train').TimeoutSeconds;
    },
  },
];

export function mutated(definition, mutation) {
  const copy = structuredClone(definition);
  mutation.mutate(copy);
  if (JSON.stringify(copy) === JSON.stringify(definition)) throw new Error(`mutation "${mutation.name}" changed nothing`);
  return copy;
}
