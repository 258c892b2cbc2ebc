namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>Training jobs a state machine starts use instance types SageMaker offers for training (not, e.g., <c>ml.c5.large</c>).</summary>
public sealed class TrainingInstanceTypeRule() : ServiceRule(
    "MLOPSTF-AWS-020",
    "Training jobs use instance types valid for training",
    "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ResourceConfig.html")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack) =>
        from state in StateMachines.States(stack)
        where state.Calls("sagemaker", "createTrainingJob")
        let type = TerraformValues.Literal(state.Parameter("ResourceConfig/InstanceType"))
        let violation = InstanceTypeUse.Check($"{state.Label} Parameters.ResourceConfig.InstanceType", type, InstanceUse.Training)
        where violation is not null
        select Finding(stack, state.Machine, violation.Value);
}
