namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>State machines log at level ALL with execution data and trace with X-Ray. Mirrors CKV_AWS_285, CKV_AWS_284, AwsSolutions-SF1, AwsSolutions-SF2.</summary>
public sealed class StepFunctionsRule() : ResourceRule(
    "MLOPSTF-SFN-001",
    "State machines log everything and trace",
    "CKV_AWS_285, CKV_AWS_284, AwsSolutions-SF1, AwsSolutions-SF2",
    "aws_sfn_state_machine")
{
    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource sm)
    {
        var logging = sm.Body["logging_configuration"];
        if (logging?["level"]?.GetValue<string>() != "ALL" || logging["include_execution_data"]?.GetValue<bool>() != true)
            yield return new("logging is not at level ALL with execution data", "set logging_configuration { level = ALL, include_execution_data = true }");
        if (sm.Body["tracing_configuration"]?["enabled"]?.GetValue<bool>() != true)
            yield return new("X-Ray tracing is off", "set tracing_configuration.enabled");
    }
}
