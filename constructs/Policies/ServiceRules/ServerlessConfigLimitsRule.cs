namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// Serverless settings within the API's limits: memory 1024 to 6144 MB in 1 GB steps, max concurrency 1 to 200,
/// provisioned concurrency 1 to 200 and at most the max concurrency.
/// </summary>
public sealed class ServerlessConfigLimitsRule() : ServiceRule(
    "MLOPSTF-AWS-008",
    "Serverless memory is 1024-6144 MB in 1 GB steps, max concurrency 1-200, provisioned concurrency at most max concurrency",
    "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProductionVariantServerlessConfig.html")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack) =>
        Findings(stack, stack.Resources("aws_sagemaker_endpoint_configuration"), configuration => configuration, Check);

    private static IEnumerable<Violation> Check(StackResource configuration)
    {
        foreach (var variant in SageMakerHosting.Variants(configuration).Where(v => v.IsServerless))
        {
            var s = variant.Serverless!;
            var where = $"{variant.Label} serverless_config";
            if (TerraformValues.Number(s["memory_size_in_mb"]) is { } memory && !(memory is >= 1024 and <= 6144 && memory % 1024 == 0))
                yield return new($"{where}.memory_size_in_mb = {TerraformValues.Show(memory)} is not one of 1024, 2048, 3072, 4096, 5120, 6144",
                    "use a memory size from 1024 to 6144 MB in 1024 MB steps");
            var max = TerraformValues.Number(s["max_concurrency"]);
            if (max is { } m && m is < 1 or > 200)
                yield return new($"{where}.max_concurrency = {TerraformValues.Show(m)} is outside 1 to 200",
                    "use a max concurrency from 1 to 200 (the Region's total serverless concurrency quota also applies)");
            if (TerraformValues.Number(s["provisioned_concurrency"]) is { } provisioned)
            {
                if (provisioned is < 1 or > 200)
                    yield return new($"{where}.provisioned_concurrency = {TerraformValues.Show(provisioned)} is outside 1 to 200",
                        "use a provisioned concurrency from 1 to 200, or leave it unset for on-demand");
                else if (max is { } limit && provisioned > limit)
                    yield return new($"{where}.provisioned_concurrency = {TerraformValues.Show(provisioned)} exceeds max_concurrency = {TerraformValues.Show(limit)}",
                        "keep provisioned_concurrency at most max_concurrency");
            }
        }
    }
}
