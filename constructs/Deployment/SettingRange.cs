namespace MlopsTf.Constructs.Deployment;

/// <summary>The inclusive range of an integer setting, and the advice for a value outside it.</summary>
/// <param name="Min">Smallest value.</param>
/// <param name="Max">Largest value.</param>
/// <param name="Fix">How to fix a value outside the range.</param>
/// <param name="Unit">Unit named after the bounds, e.g. <c>seconds</c>; empty for none.</param>
/// <param name="Step">Values go from <paramref name="Min"/> in steps of this size.</param>
public sealed record SettingRange(int Min, int Max, string Fix, string Unit = "", int Step = 1)
{
    /// <summary>Whether <paramref name="value"/> is in the range.</summary>
    public bool Contains(int value) => value >= Min && value <= Max && (value - Min) % Step == 0;

    /// <summary>The problem of <paramref name="field"/> when <paramref name="value"/> is outside the range.</summary>
    public IEnumerable<SettingProblem> Check(string field, int value)
    {
        if (!Contains(value)) yield return new SettingProblem(field, value, Describe(), Fix);
    }

    private string Describe()
    {
        if (Step > 1)
        {
            var values = Enumerable.Range(0, (Max - Min) / Step + 1).Select(i => (Min + i * Step).ToString(CultureInfo.InvariantCulture)).ToList();
            return $"must be {string.Join(", ", values[..^1])} or {values[^1]}";
        }
        var bounds = Max == int.MaxValue ? $"must be at least {Min}" : $"must be between {Min} and {Max}";
        return Unit.Length == 0 ? bounds : $"{bounds} {Unit}";
    }
}
