using System.Runtime.CompilerServices;

namespace MlopsTf.Tests.Support;

/// <summary>
/// The snapshots lock in the stacks' shape for fixed versions: every test builds with
/// <c>tests/Snapshots/releases.fixture.json</c>, so that <c>make rollback</c> and <c>make promote</c> change
/// <c>environments/releases.json</c> (reviewed through the plan) without a snapshot change. ReleaseTests checks the live file.
/// </summary>
public static class FixtureReleases
{
    public static string Path => System.IO.Path.Combine(RepoPaths.Snapshots, "releases.fixture.json");

    public static string Live => System.IO.Path.Combine(RepoPaths.Root, "environments", "releases.json");

    [ModuleInitializer]
    internal static void PinReleases()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Releases.FileVariable)))
            Environment.SetEnvironmentVariable(Releases.FileVariable, Path);
    }
}
