using System.Diagnostics;

namespace MlopsTf.Tests.Support;

/// <summary>Runs the real terraform binary against the provider filesystem mirror (registry downloads fail here).</summary>
public static class Terraform
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string Output => Stdout + Stderr;
    }

    private static readonly string[] MirrorCandidates =
        ["/opt/tf-plugins", Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".terraform.d", "plugins"),
         "/usr/share/terraform/plugins", "/usr/local/share/terraform/plugins"];

    private static readonly Lazy<string> CliConfig = new(WriteCliConfig);

    /// <summary>The mirror directory (holding <c>registry.terraform.io</c>); <c>TF_PLUGIN_MIRROR</c> overrides the search.</summary>
    public static string Mirror
    {
        get
        {
            var overridden = Environment.GetEnvironmentVariable("TF_PLUGIN_MIRROR");
            if (!string.IsNullOrEmpty(overridden)) return overridden;
            return MirrorCandidates.FirstOrDefault(c => Directory.Exists(Path.Combine(c, "registry.terraform.io", "hashicorp", "aws")))
                ?? throw new InvalidOperationException(
                    "No Terraform provider mirror with hashicorp/aws found; set TF_PLUGIN_MIRROR to the folder that contains registry.terraform.io");
        }
    }

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
        psi.Environment["TF_CLI_CONFIG_FILE"] = CliConfig.Value;
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

    /// <summary>
    /// A CLI configuration that installs providers only from the mirror. An unpacked mirror is linked, not copied, so
    /// concurrent inits are safe and take well under a second.
    /// </summary>
    private static string WriteCliConfig()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mlopstf-terraformrc-{Environment.ProcessId}");
        File.WriteAllText(path, $$"""
            provider_installation {
              filesystem_mirror {
                path    = "{{Mirror}}"
                include = ["registry.terraform.io/*/*"]
              }
              direct {
                exclude = ["registry.terraform.io/*/*"]
              }
            }
            """);
        return path;
    }
}
