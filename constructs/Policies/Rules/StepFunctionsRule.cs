namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>State machines log at level ALL with execution data and trace with X-Ray. Mirrors CKV_AWS_285, CKV_AWS_284, AwsSolutions-SF1, AwsSolutions-SF2.</summary>
public sealed class StepFunctionsRule : PolicyRule
{
    /// <inheritdoc />
    public override string Id => "MLOPSTF-SFN-001";

    /// <inheritdoc />
    public override string Title => "State machines log everything and trace";

    /// <inheritdoc />
    public override string Mirrors => "CKV_AWS_285, CKV_AWS_284, AwsSolutions-SF1, AwsSolutions-SF2";

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var sm in stack.Resources("aws_sfn_state_machine"))
        {
            var logging = sm.Body["logging_configuration"];
            if (logging?["level"]?.GetValue<string>() != "ALL" || logging["include_execution_data"]?.GetValue<bool>() != true)
                yield return Finding(stack, sm, "logging is not at level ALL with execution data", "set logging_configuration { level = ALL, include_execution_data = true }");
            if (sm.Body["tracing_configuration"]?["enabled"]?.GetValue<bool>() != true)
                yield return Finding(stack, sm, "X-Ray tracing is off", "set tracing_configuration.enabled");
        }
    }
}
