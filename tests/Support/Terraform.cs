namespace MlopsTf.Tests.Support;

/// <summary>Runs the real terraform binary against the provider filesystem mirror (registry downloads fail here).</summary>
public static class Terraform
{
    /// <summary>
    /// The Terraform CLI configuration scripts/lib.sh's <c>use_tf_mirror</c> computes, the one place the provider mirror
    /// is looked up: inherited when a script ran it (<c>MLOPSTF_TF_CLI_CONFIG</c>), else asked of lib.sh; null when there
    /// is no mirror (terraform then uses its own configuration).
    /// </summary>
    private static readonly Lazy<string?> CliConfig = new(() =>
    {
        // Set (possibly empty) when a script already ran use_tf_mirror; a TF_CLI_CONFIG_FILE of the machine's is not trusted.
        if (Environment.GetEnvironmentVariables().Contains("MLOPSTF_TF_CLI_CONFIG"))
            return Environment.GetEnvironmentVariable("MLOPSTF_TF_CLI_CONFIG") is { Length: > 0 } exported ? exported : null;
        var bash = Command.Run("bash", ["-c", "source \"$1\" && use_tf_mirror 2>/dev/null; printf %s \"$MLOPSTF_TF_CLI_CONFIG\"", "_",
            Path.Combine(RepoPaths.Root, "scripts", "lib.sh")]);
        if (bash.ExitCode != 0) throw new InvalidOperationException($"scripts/lib.sh use_tf_mirror failed ({bash.ExitCode}):\n{bash.Stderr}");
        return bash.Stdout.Length > 0 ? bash.Stdout : null;
    });

    public static Command.Result Run(string workingDirectory, params string[] args) => Run(workingDirectory, TimeSpan.FromMinutes(5), null, args);

    public static Command.Result Run(string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var env = new Dictionary<string, string> { ["TF_IN_AUTOMATION"] = "1", ["TF_INPUT"] = "0", ["CHECKPOINT_DISABLE"] = "1" };
        if (CliConfig.Value is { } config) env["TF_CLI_CONFIG_FILE"] = config;
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) env[k] = v;
        return Command.Run("terraform", args, workingDirectory, timeout, env);
    }
}
