using HashiCorp.Cdktf;
using MlopsTf.Bootstrap;

namespace MlopsTf.Environments;

/// <summary>Builds every stack of the app from the environment list.</summary>
public static class AppComposer
{
    /// <summary>
    /// Validates <paramref name="environments"/> (throwing with every problem before anything is built), then adds one
    /// platform stack and one bootstrap stack per environment.
    /// </summary>
    public static void Compose(App app, IReadOnlyList<EnvironmentConfig> environments, GitHubRepository github)
    {
        EnvironmentValidator.EnsureValid(environments);
        foreach (var env in environments)
        {
            var registryReaders = env.Name == Platform.ModelRegistryEnvironment
                ? environments.Select(e => e.AccountId).Where(a => a != env.AccountId).Distinct().ToList()
                : [];
            new MlopsStack(app, env, registryReaders);
            new BootstrapStack(app, new BootstrapStackProps { Environment = env, GitHub = github });
        }
    }
}
