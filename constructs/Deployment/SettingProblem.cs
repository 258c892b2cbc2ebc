namespace MlopsTf.Constructs.Deployment;

/// <summary>A setting SageMaker or Application Auto Scaling would refuse.</summary>
/// <param name="Field">The property, relative to the settings record, e.g. <c>CanaryPercent</c>.</param>
/// <param name="Value">The value as given.</param>
/// <param name="Problem">What is wrong with it.</param>
/// <param name="Fix">How to fix it.</param>
public sealed record SettingProblem(string Field, object? Value, string Problem, string Fix)
{
    /// <summary>Throws one <see cref="ArgumentException"/> listing every problem of <paramref name="settings"/>, if any.</summary>
    public static void ThrowIfAny(string settings, string owner, IEnumerable<SettingProblem> problems)
    {
        var list = problems.ToList();
        if (list.Count > 0)
            throw new ArgumentException(string.Join(Environment.NewLine, list.Select(p => $"{settings}.{p.Field} = {p.Value} for {owner}: {p.Problem}; {p.Fix}.")));
    }
}
