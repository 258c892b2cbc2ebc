// Runs one execution of a state machine definition in aws-local-stepfunctions, every Task answered by the worker.
import './node20.mjs';
import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';

/** An error a Task state fails with, as Step Functions reports it: Error name and Cause text. */
class TaskFailure extends Error {
  constructor({ Error: name, Cause: cause }) {
    super(cause);
    this.name = name;
  }
}

/** The stand-in could not answer (a bug or an unsupported request): neither retried nor caught. */
class StandInFailure extends Error {
  constructor(message) {
    super(message);
    this.name = 'StandIn.Failure';
    this.isRetryable = false;
    this.isCatchable = false;
  }
}

// The interpreter times a Task out after 60 s when it has no TimeoutSeconds; Step Functions waits 99999999 s.
const AWS_DEFAULT_TASK_TIMEOUT_SECONDS = 99999999;

function withAwsTaskTimeouts(definition) {
  const copy = structuredClone(definition);
  for (const state of Object.values(copy.States)) {
    if (state.Type === 'Task' && state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined) {
      state.TimeoutSeconds = AWS_DEFAULT_TASK_TIMEOUT_SECONDS;
    }
  }
  return copy;
}

export async function execute({ machine, definition = machine.definition, worker, clock, scenario, input = {}, name = randomUUID() }) {
  await worker.request({ op: 'reset', scenario });
  clock.reset();
  const fatal = [];
  const callTask = (state, resource) => async (parameters) => {
    const reply = await clock.whileBusy(worker.request({ op: 'task', state, resource, parameters }));
    if (reply.fatal) {
      fatal.push(`${state}: ${reply.fatal}`);
      throw new StandInFailure(reply.fatal);
    }
    if (reply.hang) return new Promise(() => {});
    await clock.sleep(reply.seconds ?? 0);
    if (reply.error) throw new TaskFailure(reply.error);
    return reply.result;
  };
  const taskResourceLocalHandlers = Object.fromEntries(
    Object.entries(definition.States)
      .filter(([, state]) => state.Type === 'Task')
      .map(([name, state]) => [name, callTask(name, state.Resource)]),
  );
  const context = {
    Execution: { Id: `${machine.arn.replace(':stateMachine:', ':execution:')}:${name}`, Name: name, RoleArn: machine.roleArn },
    StateMachine: { Id: machine.arn, Name: machine.name },
  };
  const execution = new StateMachine(withAwsTaskTimeouts(definition)).run(input, { overrides: { taskResourceLocalHandlers }, context });
  const events = [];
  const collecting = (async () => { for await (const event of execution.eventLogs) events.push(event); })();
  let output;
  let failure;
  try {
    output = await execution.result;
  } catch (error) {
    const cause = error.cause ?? error;
    failure = { Error: cause.name, Cause: cause.message };
  }
  await collecting;
  const { records } = await worker.request({ op: 'records' });
  return {
    executionName: name,
    path: events.filter((e) => e.type === 'StateEntered').map((e) => e.state.name),
    retried: events.filter((e) => e.type === 'StateRetried').map((e) => e.state.name),
    output,
    failure,
    fatal,
    records,
    virtualSeconds: clock.now / 1000,
  };
}
