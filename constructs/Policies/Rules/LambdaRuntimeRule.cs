namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Lambda functions use a supported runtime. Mirrors CKV_AWS_363, AwsSolutions-L1.</summary>
public sealed class LambdaRuntimeRule : PolicyRule
{
    /// <inheritdoc />
    public override string Id => "MLOPSTF-LAMBDA-002";

    /// <inheritdoc />
    public override string Title => "Lambda functions use a supported runtime";

    /// <inheritdoc />
    public override string Mirrors => "CKV_AWS_363, AwsSolutions-L1";

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        var supported = Lambda.PythonFunction.SupportedRuntimes;
        foreach (var fn in stack.Resources("aws_lambda_function"))
        {
            if (fn.String("runtime") is { } runtime && !supported.Contains(runtime))
                yield return Finding(stack, fn, $"runtime {runtime} is not supported here", $"use one of {string.Join(", ", supported.Order())}");
        }
    }
}
