namespace MlopsTf.Tests;

/// <summary>environments/releases.json, and what make rollback / make promote do to it.</summary>
[Collection(JsiiCollection.Name)]
public class ReleaseTests
{
    private static Releases Fixture => Releases.Load(FixtureReleases.Path);

    /// <summary>Releases from <paramref name="json"/>, in a file of their own.</summary>
    private static Releases From(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), $"mlopstf-releases-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return Releases.Load(path);
    }

    private const string Behind = """{"dev": {"churn": "1.1.0"}, "staging": {"churn": "1.0.0", "churn-ab": "1.0.0", "churn-async": "1.0.0"}, "prod": {"churn": "1.0.0"}}""";

    private static ConfigError Refused(Action change, params string[] fragments)
    {
        var error = Assert.Single(Assert.Throws<InvalidConfigurationException>(change).Errors);
        foreach (var fragment in fragments) Assert.Contains(fragment, error.ToString());
        return error;
    }

    [Fact]
    public void The_live_releases_file_names_a_retained_version_for_every_endpoint_and_nothing_else()
    {
        var environments = Platform.EnvironmentsFor(Releases.Load(FixtureReleases.Live));
        Assert.Empty(EnvironmentValidator.Validate(environments));
        var configured = environments.SelectMany(e => e.Serving.Endpoints.Select(x => (e.Name, x.Name))).Order().ToList();
        Assert.Equal(configured, Releases.Load(FixtureReleases.Live).Entries.Select(r => (r.Environment, r.Endpoint)).Order().ToList());
    }

    [Fact]
    public void The_files_are_written_in_the_form_the_tools_write()
    {
        foreach (var path in new[] { FixtureReleases.Live, FixtureReleases.Path })
            Assert.Equal(File.ReadAllText(path), Releases.Load(path).ToJson());
    }

    [Fact]
    public void An_endpoint_without_a_release_and_a_release_without_an_endpoint_are_refused()
    {
        Refused(() => Platform.EnvironmentsFor(From("""{"dev": {"churn": "1.1.0"}, "staging": {"churn": "1.1.0", "churn-async": "1.1.0"}, "prod": {"churn": "1.1.0"}}""")),
            "releases[staging][churn-ab]", "(missing)", "add \"churn-ab\"");
        Refused(() => Platform.EnvironmentsFor(Fixture.With("prod", "churn-b", "1.1.0")),
            "releases[prod][churn-b]", "does not define", "remove the entry");
    }

    [Theory]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("""{"dev": ["churn"]}""", "releases[dev]")]
    [InlineData("""{"dev": {"churn": 1.1}}""", "releases[dev][churn]")]
    [InlineData("""{"dev": {"churn": ""}}""", "must be a version label")]
    [InlineData("""{"dev": {"churn": "1.1.0", "churn": "1.0.0"}}""", "names a key twice")]
    [InlineData("{", "is not JSON")]
    public void A_malformed_releases_file_is_refused_with_the_entry_and_the_fix(string json, string fragment)
    {
        var error = Refused(() => From(json), fragment);
        Assert.NotEmpty(error.Fix);
    }

    [Fact]
    public void A_rollback_moves_only_the_endpoint_s_configuration()
    {
        var change = ReleaseChange.Rollback(Fixture, "prod", "churn", "1.0.0");
        Assert.Equal(["prod/churn: 1.1.0 -> 1.0.0"], change.Moves);
        Assert.Equal("1.0.0", change.Releases.Active("prod", "churn"));
        Assert.Equal("1.1.0", change.Releases.Active("staging", "churn"));

        var before = ConfigSynth.Environment(Prod.For(Fixture)).Json;
        var after = ConfigSynth.Environment(Prod.For(change.Releases)).Json;
        var differences = Differences(before, after, "").ToList();
        var path = Assert.Single(differences);
        Assert.Matches(@"^resource\.aws_sagemaker_endpoint\.[^.]+\.endpoint_config_name$", path);
        var endpoint = path.Split('.')[2];
        Assert.Contains("endpoint-churn_configuration-100_", after["resource"]!["aws_sagemaker_endpoint"]![endpoint]!["endpoint_config_name"]!.ToString());
        Assert.Contains("endpoint-churn_configuration-110_", before["resource"]!["aws_sagemaker_endpoint"]![endpoint]!["endpoint_config_name"]!.ToString());
    }

    [Theory]
    [InlineData("qa", "churn", "1.0.0", "ENV = \"qa\"", "use one of dev, staging, prod")]
    [InlineData("prod", "fraud", "1.0.0", "ENDPOINT = \"fraud\"", "use one of churn")]
    [InlineData("staging", "churn-ab", "1.0.0", "weighted variants", "canary.md")]
    [InlineData("prod", "churn", "0.9.0", "VERSION = \"0.9.0\"", "roll back to one of 1.0.0")]
    [InlineData("prod", "churn", "1.1.0", "already serves it", "older retained version")]
    public void A_rollback_the_configuration_cannot_take_is_refused(string env, string endpoint, string version, string problem, string fix) =>
        Refused(() => ReleaseChange.Rollback(Fixture, env, endpoint, version), problem, fix);

    [Fact]
    public void A_rollback_to_a_newer_version_is_refused_as_a_promotion() =>
        Refused(() => ReleaseChange.Rollback(From(Behind), "prod", "churn", "1.1.0"), "is newer than the 1.0.0", "make promote ENV=prod VERSION=1.1.0");

    [Fact]
    public void A_promotion_moves_every_single_variant_endpoint_of_the_model_and_leaves_weighted_ones_alone()
    {
        var change = ReleaseChange.Promote(From(Behind), "staging", "1.1.0", model: null);
        Assert.Equal(["staging/churn: 1.0.0 -> 1.1.0", "staging/churn-async: 1.0.0 -> 1.1.0"], change.Moves);
        Assert.Equal(["staging/churn-ab: weighted variants, changed in the environment file (docs/runbooks/canary.md)"], change.LeftAlone);
        Assert.Equal("1.0.0", change.Releases.Active("staging", "churn-ab"));
        Assert.Equal("1.0.0", change.Releases.Active("prod", "churn"));
    }

    [Fact]
    public void A_promotion_must_follow_the_environment_before_it()
    {
        Refused(() => ReleaseChange.Promote(From(Behind), "prod", "1.1.0", model: null),
            "staging, the environment before prod, does not serve churn 1.1.0 (it serves 1.0.0)", "make promote ENV=staging VERSION=1.1.0");
        var staged = ReleaseChange.Promote(From(Behind), "staging", "1.1.0", model: null).Releases;
        Assert.Equal(["prod/churn: 1.0.0 -> 1.1.0"], ReleaseChange.Promote(staged, "prod", "1.1.0", model: null).Moves);
    }

    [Theory]
    [InlineData("prod", "1.0.0", null, "is older than the 1.1.0", "make rollback ENV=prod ENDPOINT=churn VERSION=1.0.0")]
    [InlineData("prod", "1.1.0", null, "already serves it", "nothing to promote")]
    [InlineData("dev", "2.0.0", null, "is not a retained version of any model in dev", "promote.md")]
    [InlineData("dev", "1.1.0", "fraud", "MODEL = \"fraud\"", "use one of churn")]
    [InlineData("uat", "1.1.0", null, "ENV = \"uat\"", "use one of dev, staging, prod")]
    public void A_promotion_the_configuration_cannot_take_is_refused(string env, string version, string? model, string problem, string fix) =>
        Refused(() => ReleaseChange.Promote(Fixture, env, version, model), problem, fix);

    [Fact]
    public void The_command_writes_the_file_only_for_a_change_it_accepted()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mlopstf-releases-{Guid.NewGuid():N}.json");
        File.Copy(FixtureReleases.Path, path);
        var original = File.ReadAllText(path);
        var (output, errors) = (new StringWriter(), new StringWriter());

        Assert.Equal(1, ReleaseCommand.Run(["rollback", "--env", "prod", "--endpoint", "churn", "--version", "1.1.0"], path, output, errors));
        Assert.Contains("is unchanged", errors.ToString());
        Assert.Equal(original, File.ReadAllText(path));

        Assert.Equal(2, ReleaseCommand.Run(["promote", "--env", "prod"], path, output, errors));
        Assert.Contains("--version is required", errors.ToString());
        Assert.Equal(2, ReleaseCommand.Run(["rollback", "--env", "prod", "--endpoint", "churn", "--version", "1.0.0", "--model", "churn"], path, output, errors));
        Assert.Contains("--model is not an option of rollback", errors.ToString());
        Assert.Equal(original, File.ReadAllText(path));

        Assert.Equal(0, ReleaseCommand.Run(["rollback", "--env", "prod", "--endpoint", "churn", "--version", "1.0.0"], path, output, errors));
        Assert.Contains("rollback: prod/churn: 1.1.0 -> 1.0.0", output.ToString());
        Assert.Equal(original.Replace("\"prod\": {\n    \"churn\": \"1.1.0\"", "\"prod\": {\n    \"churn\": \"1.0.0\""), File.ReadAllText(path));
        File.Delete(path);
    }

    private static IEnumerable<string> Differences(JsonNode? a, JsonNode? b, string path)
    {
        if (a is JsonObject oa && b is JsonObject ob)
        {
            foreach (var key in oa.Select(p => p.Key).Union(ob.Select(p => p.Key)))
                foreach (var d in Differences(oa[key], ob[key], path.Length == 0 ? key : $"{path}.{key}")) yield return d;
        }
        else if (!JsonNode.DeepEquals(a, b))
        {
            yield return path;
        }
    }
}
