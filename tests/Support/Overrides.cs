namespace MlopsTf.Tests.Support;

/// <summary>Terraform override files beside a copied stack, written by their one writer, scripts/overrides.py.</summary>
public static class Overrides
{
    public static void Write(string stackDir, string kind, params string[] args)
    {
        var result = Command.Run("python3", [Path.Combine(RepoPaths.Root, "scripts", "overrides.py"), "write", stackDir, kind, .. args]);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"scripts/overrides.py write {stackDir} {kind} failed ({result.ExitCode}):\n{result.Output}");
    }
}
