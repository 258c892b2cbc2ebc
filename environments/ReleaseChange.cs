namespace MlopsTf.Environments;

/// <summary>A validated change of <see cref="Releases"/>: the new releases and one line per endpoint it moves.</summary>
/// <param name="Releases">The releases after the change.</param>
/// <param name="Moves">What changes, e.g. <c>prod/churn: 1.1.0 -> 1.0.0</c>.</param>
/// <param name="LeftAlone">Endpoints of the model the change deliberately does not touch, with why.</param>
public sealed record ReleaseChange(Releases Releases, IReadOnlyList<string> Moves, IReadOnlyList<string> LeftAlone)
{
    /// <summary>
    /// Points one endpoint back at an older retained version: the endpoint switches to that version's existing
    /// endpoint configuration, nothing is rebuilt.
    /// </summary>
    /// <exception cref="InvalidConfigurationException">Names the input, its value and what to give instead.</exception>
    public static ReleaseChange Rollback(Releases releases, string environment, string endpoint, string version)
    {
        var environments = Platform.EnvironmentsFor(releases);
        var env = Find(environments, environment);
        var e = env.Serving.Endpoints.FirstOrDefault(x => x.Name == endpoint)
            ?? throw Refuse(environment, "ENDPOINT", endpoint, $"is not an endpoint of {environment}",
                $"use one of {Names(env.Serving.Endpoints.Select(x => x.Name))}");
        if (e.Variants.Count > 1)
            throw Refuse(environment, "ENDPOINT", endpoint, "serves weighted variants, each with its own version",
                "change its variants' versions or weights in the environment file (docs/runbooks/canary.md, Part B)");
        var versions = RetainedVersions(env, e.Model);
        var target = versions.IndexOf(version);
        var current = versions.IndexOf(e.ActiveVersion);
        if (target < 0)
            throw Refuse(environment, "VERSION", version, $"is not a retained version of {e.Model} in {environment}",
                $"roll back to one of {Names(versions.Take(current))}; a version no longer retained is a new deployment (docs/runbooks/deploy.md)");
        if (target == current)
            throw Refuse(environment, "VERSION", version, $"{environment}/{endpoint} already serves it", "nothing to roll back; give an older retained version");
        if (target > current)
            throw Refuse(environment, "VERSION", version, $"is newer than the {e.ActiveVersion} that {environment}/{endpoint} serves",
                $"moving forward is a promotion: make promote ENV={environment} VERSION={version}");
        return Validated(releases.With(environment, endpoint, version), [$"{environment}/{endpoint}: {e.ActiveVersion} -> {version}"], []);
    }

    /// <summary>
    /// Moves every single-variant endpoint of a model in <paramref name="environment"/> forward to
    /// <paramref name="version"/>, which the environment before it in promotion order must already serve.
    /// </summary>
    /// <param name="releases">The releases now.</param>
    /// <param name="environment">The environment promoted to.</param>
    /// <param name="version">The version label.</param>
    /// <param name="model">The model; null finds the one model of <paramref name="environment"/> that retains <paramref name="version"/>.</param>
    /// <exception cref="InvalidConfigurationException">Names the input, its value and what to give instead.</exception>
    public static ReleaseChange Promote(Releases releases, string environment, string version, string? model)
    {
        var environments = Platform.EnvironmentsFor(releases);
        var env = Find(environments, environment);
        var modelName = model ?? ModelOf(env, version);
        if (env.Serving.Models.All(m => m.Name != modelName))
            throw Refuse(environment, "MODEL", modelName, $"is not a model of {environment}", $"use one of {Names(env.Serving.Models.Select(m => m.Name))}");
        var versions = RetainedVersions(env, modelName);
        if (!versions.Contains(version))
            throw Refuse(environment, "VERSION", version, $"is not a retained version of {modelName} in {environment}",
                $"add it to the model's Versions first (docs/runbooks/promote.md), or use one of {Names(versions)}");
        var endpoints = env.Serving.Endpoints.Where(e => e.Model == modelName).ToList();
        var targets = endpoints.Where(e => e.Variants.Count <= 1).ToList();
        var leftAlone = endpoints.Except(targets).Select(e => $"{environment}/{e.Name}: weighted variants, changed in the environment file (docs/runbooks/canary.md)").ToList();
        if (targets.Count == 0)
            throw Refuse(environment, "VERSION", version, $"no single-variant endpoint of {environment} serves {modelName}", "define an endpoint for the model first");

        var moves = new List<string>();
        var next = releases;
        foreach (var e in targets)
        {
            if (e.ActiveVersion == version) continue;
            if (versions.IndexOf(version) < versions.IndexOf(e.ActiveVersion))
                throw Refuse(environment, "VERSION", version, $"is older than the {e.ActiveVersion} that {environment}/{e.Name} serves",
                    $"going back is a rollback: make rollback ENV={environment} ENDPOINT={e.Name} VERSION={version}");
            next = next.With(environment, e.Name, version);
            moves.Add($"{environment}/{e.Name}: {e.ActiveVersion} -> {version}");
        }
        if (moves.Count == 0)
            throw Refuse(environment, "VERSION", version, $"every single-variant endpoint of {modelName} in {environment} already serves it", "nothing to promote");

        var index = environments.ToList().IndexOf(env);
        if (index > 0)
        {
            var previous = environments[index - 1];
            var served = previous.Serving.Endpoints.Where(e => e.Model == modelName && e.Variants.Count <= 1).Select(e => e.ActiveVersion).Distinct().ToList();
            if (!served.Contains(version))
                throw Refuse(environment, "VERSION", version,
                    $"{previous.Name}, the environment before {environment}, does not serve {modelName} {version} (it serves {Names(served)})",
                    $"promote in order and let it soak there first: make promote ENV={previous.Name} VERSION={version}");
        }
        return Validated(next, moves, leftAlone);
    }

    private static ReleaseChange Validated(Releases next, IReadOnlyList<string> moves, IReadOnlyList<string> leftAlone)
    {
        EnvironmentValidator.EnsureValid(Platform.EnvironmentsFor(next));
        return new ReleaseChange(next, moves, leftAlone);
    }

    private static EnvironmentConfig Find(IReadOnlyList<EnvironmentConfig> environments, string environment) =>
        environments.FirstOrDefault(e => e.Name == environment)
        ?? throw Refuse("*", "ENV", environment, "is not an environment", $"use one of {Names(environments.Select(e => e.Name))}");

    private static List<string> RetainedVersions(EnvironmentConfig env, string model) =>
        env.Serving.Models.First(m => m.Name == model).Versions.Select(v => v.Version).ToList();

    private static string ModelOf(EnvironmentConfig env, string version)
    {
        var models = env.Serving.Models.Where(m => m.Versions.Any(v => v.Version == version)).Select(m => m.Name).ToList();
        return models.Count switch
        {
            1 => models[0],
            0 => throw Refuse(env.Name, "VERSION", version, $"is not a retained version of any model in {env.Name}",
                "add it to the model's Versions first (docs/runbooks/promote.md)"),
            _ => throw Refuse(env.Name, "VERSION", version, $"is a version of several models ({Names(models)})", "name the model: MODEL=<model>"),
        };
    }

    private static string Names(IEnumerable<string> names) => names.Any() ? string.Join(", ", names) : "(none)";

    private static InvalidConfigurationException Refuse(string environment, string field, string value, string problem, string fix) =>
        new([new ConfigError(environment, field, value, problem, fix)]);
}
