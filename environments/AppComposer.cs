using MlopsTf.Bootstrap;

namespace MlopsTf.Environments;

/// <summary>Builds every stack of the app from the environment list.</summary>
public static class AppComposer
{
    /// <summary>
    /// Validates <paramref name="environments"/> (throwing with every problem before anything is built), then adds one
    /// platform stack and one bootstrap stack per environment.
    /// </summary>
    /// <returns>The policy check attached to every stack; after synth it holds the findings.</returns>
    public static PolicyCheck Compose(App app, IReadOnlyList<EnvironmentConfig> environments, GitHubRepository github)
    {
        SynthProfile.Time("compose: validate configuration", () => { EnvironmentValidator.EnsureValid(environments); return 0; });
        var policy = new PolicyCheck();
        var registry = environments.FirstOrDefault(e => e.Name == Platform.ModelRegistryEnvironment);
        foreach (var env in environments)
        {
            var isRegistry = env.Name == Platform.ModelRegistryEnvironment;
            var registryReaders = isRegistry
                ? environments.Select(e => e.AccountId).Where(a => a != env.AccountId).Distinct().ToList()
                : [];
            var source = !isRegistry && registry is not null && registry.AccountId != env.AccountId ? MlopsStack.PromotionSourceOf(registry) : null;
            policy.Attach(SynthProfile.Time($"compose: stack {env.Name}", () => new MlopsStack(app, env, registryReaders, source)));
            policy.Attach(SynthProfile.Time($"compose: stack bootstrap-{env.Name}", () => new BootstrapStack(app, new BootstrapStackProps { Environment = env, GitHub = github })));
        }
        return policy;
    }
}
