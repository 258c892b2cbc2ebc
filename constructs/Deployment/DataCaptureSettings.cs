namespace MlopsTf.Constructs.Deployment;

/// <summary>Data capture of a real-time endpoint's requests and responses.</summary>
/// <param name="SamplingPercent">Share of requests captured, 1 to 100.</param>
public sealed record DataCaptureSettings(int SamplingPercent = 20)
{
    /// <summary>Accepted sampling shares in percent.</summary>
    public static readonly SettingRange SamplingPercentRange = new(1, 100, "capture e.g. 20 percent");

    /// <summary>Every setting outside what SageMaker accepts.</summary>
    public IEnumerable<SettingProblem> Problems() => SamplingPercentRange.Check(nameof(SamplingPercent), SamplingPercent);
}
