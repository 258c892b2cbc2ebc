namespace MlopsTf.Tests.Support;

/// <summary>Locations in the source tree, found from the test binary's directory.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Snapshots => Path.Combine(Root, "tests", "Snapshots");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MlopsTf.csproj"))) return dir.FullName;
        }
        throw new InvalidOperationException($"MlopsTf.csproj not found above {AppContext.BaseDirectory}");
    }
}
