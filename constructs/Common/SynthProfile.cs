using System.Diagnostics;

namespace MlopsTf.Constructs.Common;

/// <summary>
/// Wall time per synth phase, printed to standard error when <c>MLOPSTF_PROFILE=1</c> (make bench reads it); phases
/// of the same name add up (the policy aspect runs once per stack).
/// </summary>
public static class SynthProfile
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();
    private static readonly Dictionary<string, double> Phases = new(StringComparer.Ordinal);

    /// <summary>Whether phases are recorded and printed.</summary>
    public static bool Enabled { get; } = Environment.GetEnvironmentVariable("MLOPSTF_PROFILE") == "1";

    /// <summary>Runs <paramref name="action"/>, adding its wall time to <paramref name="phase"/>.</summary>
    public static T Time<T>(string phase, Func<T> action)
    {
        if (!Enabled) return action();
        var start = Clock.Elapsed.TotalMilliseconds;
        try { return action(); }
        finally
        {
            lock (Phases) Phases[phase] = Phases.GetValueOrDefault(phase) + Clock.Elapsed.TotalMilliseconds - start;
        }
    }

    /// <summary>Prints each phase and the time since the process's runtime started, as <c>profile: phase ms</c> lines.</summary>
    public static void Print(TextWriter to)
    {
        if (!Enabled) return;
        var sinceStart = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds;
        lock (Phases)
            foreach (var (phase, ms) in Phases) to.WriteLine(FormattableString.Invariant($"profile: {phase} {ms:F0} ms"));
        to.WriteLine(FormattableString.Invariant($"profile: process {sinceStart:F0} ms"));
    }
}
