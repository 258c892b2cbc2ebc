namespace MlopsTf.Environments;

/// <summary>Settings shared by every environment, and the list of environments Main.cs builds.</summary>
public static class Platform
{
    /// <summary>Project name: resource name prefix and the <c>Project</c> tag.</summary>
    public const string Project = "mlopstf";

    /// <summary>The GitHub repository whose Actions may assume the CI roles.</summary>
    public static readonly GitHubRepository GitHub = new("acme-ml", "mlops-platform");

    /// <summary>
    /// The environment whose model registry the others deploy from; its package groups let the other environments'
    /// accounts read them.
    /// </summary>
    public const string ModelRegistryEnvironment = "dev";

    /// <summary>Name part of the CI roles after the project and environment (<c>mlopstf-dev-github-apply</c>).</summary>
    public const string CiRolePrefix = "github-";

    /// <summary>The context of an environment's stacks that deploy to <paramref name="region"/>.</summary>
    public static StackContext ContextOf(EnvironmentConfig env, string region) => new($"{Project}-{env.Name}", env.AccountId, region);

    /// <summary>The name of an environment's CI role (<c>plan</c> or <c>apply</c>), which its bootstrap stack creates.</summary>
    public static string CiRoleName(StackContext context, string role) => context.Name($"{CiRolePrefix}{role}");

    /// <summary>Environments in promotion order, serving <see cref="Releases.Current"/>.</summary>
    public static IReadOnlyList<EnvironmentConfig> Environments => EnsureUsed(Releases.Current, [Dev.Config, Staging.Config, Prod.Config]);

    /// <summary>Environments in promotion order, serving the versions <paramref name="releases"/> names.</summary>
    /// <exception cref="InvalidConfigurationException">An entry of <paramref name="releases"/> names no configured endpoint.</exception>
    public static IReadOnlyList<EnvironmentConfig> EnvironmentsFor(Releases releases) =>
        EnsureUsed(releases, [Dev.For(releases), Staging.For(releases), Prod.For(releases)]);

    private static IReadOnlyList<EnvironmentConfig> EnsureUsed(Releases releases, IReadOnlyList<EnvironmentConfig> environments)
    {
        var unused = releases.Unused(environments);
        return unused.Count == 0 ? environments : throw new InvalidConfigurationException(unused);
    }
}
