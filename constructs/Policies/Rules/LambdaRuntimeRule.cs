namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Lambda functions use a supported runtime. Mirrors CKV_AWS_363, AwsSolutions-L1.</summary>
public sealed class LambdaRuntimeRule() : ResourceRule(
    "MLOPSTF-LAMBDA-002",
    "Lambda functions use a supported runtime",
    "CKV_AWS_363, AwsSolutions-L1",
    "aws_lambda_function")
{
    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource fn)
    {
        var supported = Lambda.PythonFunction.SupportedRuntimes;
        if (fn.String("runtime") is { } runtime && !supported.Contains(runtime))
            yield return new($"runtime {runtime} is not supported here", $"use one of {string.Join(", ", supported.Order())}");
    }
}
