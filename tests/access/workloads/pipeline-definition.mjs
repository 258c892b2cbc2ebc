// The training pipeline's state machine definition, references resolved.

/** { machine (resolved resource), definition (parsed ASL), states: [name, state][] } for each state machine. */
export function stateMachines(stack) {
  return stack.resources('aws_sfn_state_machine').map(({ id, body }) => {
    const machine = stack.resolveDeep(body)
    const definition = JSON.parse(machine.definition)
    const states = []
    const walk = (container) => {
      for (const [name, state] of Object.entries(container.States ?? {})) {
        states.push([name, state])
        for (const branch of state.Branches ?? []) walk(branch)
        if (state.Iterator) walk(state.Iterator)
        if (state.ItemProcessor) walk(state.ItemProcessor)
      }
    }
    walk(definition)
    return { id, machine, definition, states, path: stack.path('aws_sfn_state_machine', id) }
  })
}

/** The state that creates the training job (sagemaker:createTrainingJob[.sync]). */
export function trainState(stack) {
  for (const sm of stateMachines(stack)) {
    const found = sm.states.find(([, s]) => s.Type === 'Task' && /^arn:aws:states:::sagemaker:createTrainingJob/.test(s.Resource))
    if (found) return { ...sm, name: found[0], state: found[1] }
  }
  return undefined
}

/** The fixed part of the training job name, from States.Format('<prefix>{}', ...) in the Train state. */
export function trainingJobPrefix(stack) {
  const train = trainState(stack)
  if (!train) return undefined
  const params = train.state.Parameters
  if (params.TrainingJobName) return params.TrainingJobName
  const format = params['TrainingJobName.$']?.match(/^States\.Format\('([^'{]*)\{\}/)
  if (!format) throw new Error(`${stack.name}: cannot read the training job name pattern from ${params['TrainingJobName.$']}`)
  return format[1]
}
