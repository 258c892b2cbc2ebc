namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// Training channels have valid, unique names (<c>[A-Za-z0-9.\-_]+</c>, at most 64 characters), and a metric named
/// <c>&lt;channel&gt;:&lt;name&gt;</c> (defined, or read by the evaluation step) names a channel the job receives.
/// </summary>
public sealed partial class TrainingChannelsRule() : ServiceRule(
    "MLOPSTF-AWS-030",
    "Training channels are valid and unique, and channel-scoped metrics name a channel the job receives",
    "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_Channel.html")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var job in TrainingJobs.All(stack))
        {
            var channels = job.Channels;
            var where = $"{job.State.Label} Parameters.InputDataConfig";
            foreach (var (name, i) in channels.Select((c, i) => (c, i)))
            {
                if (name is null || TerraformReference.Unknown(name)) continue;
                if (name.Length > 64 || !ChannelName().IsMatch(name))
                    yield return Finding(stack, job.State.Machine, $"{where}[{i}].ChannelName = \"{name}\" is not 1 to 64 characters of [A-Za-z0-9.-_]",
                        "name channels with letters, digits, '.', '-' and '_' (at most 64 characters)");
            }
            foreach (var duplicate in channels.OfType<string>().GroupBy(c => c, StringComparer.Ordinal).Where(g => g.Count() > 1))
                yield return Finding(stack, job.State.Machine, $"{where} has channel {duplicate.Key} {duplicate.Count()} times", "give each channel a unique name");
            var known = channels.OfType<string>().ToHashSet(StringComparer.Ordinal);
            var metrics = job.MetricNames.Select(m => (Metric: m, Source: "MetricDefinitions")).ToList();
            if (job.EvaluatedMetric is { } evaluated && !TerraformReference.Unknown(evaluated) && !job.MetricNames.Contains(evaluated))
                metrics.Add((evaluated, $"{TrainingJobs.MetricVariable} of {job.Evaluator!.Path}"));
            foreach (var (metric, source) in metrics)
            {
                var colon = metric.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0) continue;
                var channel = metric[..colon];
                if (!known.Contains(channel))
                    yield return Finding(stack, job.State.Machine,
                        $"metric {metric} ({source}) is measured on channel {channel}, but {where} has only [{string.Join(", ", known.Order(StringComparer.Ordinal))}]",
                        $"add a {channel} channel to InputDataConfig (and data under its prefix), or read a metric of a channel the job receives");
            }
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9.\-_]+$")]
    private static partial Regex ChannelName();
}
