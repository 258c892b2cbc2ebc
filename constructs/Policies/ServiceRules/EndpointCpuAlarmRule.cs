namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// An alarm on an endpoint's <c>CPUUtilization</c> (the sum over the instance's vCPUs, 0 to 100 × vCPUs) compares it
/// through metric math that divides by the variant's vCPU count; a raw threshold on the sum fires at a fraction of
/// the load it names.
/// </summary>
public sealed class EndpointCpuAlarmRule() : ServiceRule(
    "MLOPSTF-AWS-028",
    "Endpoint CPUUtilization alarms divide by the variant's vCPU count",
    "https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html#cloudwatch-metrics-jobs")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var alarm in CloudWatchAlarms.All(stack))
        {
            foreach (var cpu in CloudWatchAlarms.Metrics(alarm).Where(m => m is { Namespace: "/aws/sagemaker/Endpoints", MetricName: "CPUUtilization" }))
            {
                var vcpus = Vcpus(stack, cpu);
                var divide = vcpus is { } n ? $"{cpu.QueryId ?? "cpu"} / {n}" : $"{cpu.QueryId ?? "cpu"} / <vCPUs of the variant's instance type>";
                if (cpu.QueryId is null || cpu.ReturnsData)
                {
                    yield return Finding(stack, alarm,
                        $"{cpu.Label} is compared raw, but CPUUtilization is summed over the instance's vCPUs (0 to {(vcpus is { } v ? TerraformValues.Show(v * 100) : "100 × vCPUs")} %)",
                        $"read CPUUtilization in a metric_query with return_data = false and alarm on the expression {divide}");
                    continue;
                }
                var returned = CloudWatchAlarms.Queries(alarm).FirstOrDefault(q => q.ReturnsData && q.Expression is not null);
                var expression = returned?.Expression ?? "";
                var pattern = vcpus is { } count
                    ? $@"\b{Regex.Escape(cpu.QueryId)}\s*/\s*\(?\s*{count.ToString(CultureInfo.InvariantCulture)}(\.0+)?\s*\)?(?![0-9.])"
                    : $@"\b{Regex.Escape(cpu.QueryId)}\s*/\s*\(?\s*[0-9]+";
                if (!Regex.IsMatch(expression, pattern, RegexOptions.CultureInvariant))
                    yield return Finding(stack, alarm,
                        $"the returned expression \"{expression}\" does not divide {cpu.Label} by {(vcpus is { } c ? $"the variant's {c} vCPUs" : "the variant's vCPU count")}",
                        $"alarm on {divide} (CPUUtilization runs to 100 % per vCPU)");
            }
        }
    }

    private static int? Vcpus(StackDocument stack, AlarmMetric cpu)
    {
        if (SageMakerHosting.Endpoint(stack, cpu.Dimensions.GetValueOrDefault("EndpointName")) is not { } endpoint) return null;
        if (cpu.Dimensions.GetValueOrDefault("VariantName") is not { } name || SageMakerHosting.ActiveVariant(stack, endpoint, name) is not { } variant) return null;
        return variant.InstanceType is { } type ? InstanceTypes.Find(type)?.Vcpus : null;
    }
}
