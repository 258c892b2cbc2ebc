namespace MlopsTf.Environments;

/// <summary>Where the repository's non-C# sources (Lambda handlers, Glue scripts) are, wherever the app runs from.</summary>
public static class SourcePaths
{
    /// <summary>The repository root: the nearest folder holding <c>cdktf.json</c> above the working directory or the app.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The upload page's folder, <c>frontend/</c>.</summary>
    public static string Frontend => Path.Combine(Root, "frontend");

    /// <summary>A path under <c>functions/</c>.</summary>
    public static string Function(string relative) => Path.Combine(Root, "functions", relative);

    private static string FindRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "cdktf.json")) && Directory.Exists(Path.Combine(dir.FullName, "functions")))
                    return dir.FullName;
            }
        }
        throw new InvalidOperationException(
            $"Could not find the repository root (a folder with cdktf.json and functions/) above {Directory.GetCurrentDirectory()} or {AppContext.BaseDirectory}; run the app from the repository.");
    }
}
