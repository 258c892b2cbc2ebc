namespace MlopsTf.Environments;

/// <summary>
/// <c>dotnet MlopsTf.dll release rollback|promote ...</c>, what <c>make rollback</c> and <c>make promote</c> run:
/// validates the change against every environment's configuration, and only then rewrites the releases file.
/// </summary>
public static class ReleaseCommand
{
    /// <summary>How to call it.</summary>
    public const string Usage = "usage: release rollback --env <env> --endpoint <endpoint> --version <version>\n"
        + "       release promote --env <env> --version <version> [--model <model>]";

    /// <summary>Runs the command against <paramref name="path"/>; returns the exit code (0 changed, 1 refused, 2 usage).</summary>
    public static int Run(IReadOnlyList<string> args, string path, TextWriter output, TextWriter errors)
    {
        if (args.Count == 0 || args[0] is not ("rollback" or "promote"))
            return UsageError(errors, args.Count == 0 ? "no command" : $"unknown command '{args[0]}'");
        var options = new Dictionary<string, string>();
        for (var i = 1; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
                return UsageError(errors, $"'{args[i]}' is not an option with a value");
            options[args[i][2..]] = args[i + 1];
        }
        string[] required = args[0] == "rollback" ? ["env", "endpoint", "version"] : ["env", "version"];
        string[] allowed = args[0] == "rollback" ? required : [.. required, "model"];
        if (options.Keys.Except(allowed).FirstOrDefault() is { } unknown) return UsageError(errors, $"--{unknown} is not an option of {args[0]}");
        if (required.FirstOrDefault(r => string.IsNullOrWhiteSpace(options.GetValueOrDefault(r))) is { } missing)
            return UsageError(errors, $"--{missing} is required");
        try
        {
            var releases = Releases.Load(path);
            var change = args[0] == "rollback"
                ? ReleaseChange.Rollback(releases, options["env"], options["endpoint"], options["version"])
                : ReleaseChange.Promote(releases, options["env"], options["version"], options.GetValueOrDefault("model"));
            change.Releases.Save();
            foreach (var move in change.Moves) output.WriteLine($"{args[0]}: {move}");
            foreach (var alone in change.LeftAlone) output.WriteLine($"left alone: {alone}");
            output.WriteLine($"wrote {path}; review the plan, then commit it in a pull request (the deploy applies it after review)");
            return 0;
        }
        catch (InvalidConfigurationException e)
        {
            errors.WriteLine($"{args[0]} refused; {path} is unchanged. {e.Message}");
            return 1;
        }
    }

    private static int UsageError(TextWriter errors, string problem)
    {
        errors.WriteLine($"error: {problem}");
        errors.WriteLine(Usage);
        return 2;
    }
}
