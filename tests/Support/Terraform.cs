namespace MlopsTf.Tests.Support;

/// <summary>Runs the real terraform binary against the provider filesystem mirror (registry downloads fail here).</summary>
public static class Terraform
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string Output => Stdout + Stderr;
    }

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
        var psi = new ProcessStartInfo("bash", ["-c", "source \"$1\" && use_tf_mirror 2>/dev/null; printf %s \"$MLOPSTF_TF_CLI_CONFIG\"", "_",
            Path.Combine(RepoPaths.Root, "scripts", "lib.sh")]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var bash = Process.Start(psi) ?? throw new InvalidOperationException("could not start bash for scripts/lib.sh");
        var path = bash.StandardOutput.ReadToEnd();
        bash.WaitForExit();
        if (bash.ExitCode != 0) throw new InvalidOperationException($"scripts/lib.sh use_tf_mirror failed ({bash.ExitCode})");
        return path.Length > 0 ? path : null;
    });

    public static Result Run(string workingDirectory, params string[] args) => Run(workingDirectory, TimeSpan.FromMinutes(5), null, args);

    public static Result Run(string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var psi = new ProcessStartInfo("terraform")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        if (CliConfig.Value is { } config) psi.Environment["TF_CLI_CONFIG_FILE"] = config;
        psi.Environment["TF_IN_AUTOMATION"] = "1";
        psi.Environment["TF_INPUT"] = "0";
        psi.Environment["CHECKPOINT_DISABLE"] = "1";
        if (environment is not null)
            foreach (var (k, v) in environment) psi.Environment[k] = v;

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start terraform");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"terraform {string.Join(' ', args)} in {workingDirectory} did not finish within {timeout}");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
