namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>An image of one of the stack's ECR repositories, as a model or job names it.</summary>
/// <param name="Repository">The <c>aws_ecr_repository</c>.</param>
/// <param name="Tag">Its tag (<c>latest</c> when none is given); null when pinned by digest or unknown before apply.</param>
public sealed record RepositoryImage(StackResource Repository, string? Tag);

/// <summary>One rule of an ECR lifecycle policy.</summary>
/// <param name="Index">Position in <c>rules</c>.</param>
/// <param name="Body">The rule.</param>
public sealed record LifecycleRule(int Index, JsonObject Body)
{
    /// <summary><c>rulePriority</c>, when a number.</summary>
    public double? Priority => TerraformValues.Number(Body["rulePriority"]);

    /// <summary>The rule's <c>selection</c>.</summary>
    public JsonObject? Selection => Body["selection"] as JsonObject;

    /// <summary><c>selection.tagStatus</c>.</summary>
    public string? TagStatus => TerraformValues.Text(Selection?["tagStatus"]);

    /// <summary><c>selection.tagPatternList</c>.</summary>
    public IReadOnlyList<string> TagPatterns => TerraformValues.Strings(Selection?["tagPatternList"]);

    /// <summary><c>selection.tagPrefixList</c>.</summary>
    public IReadOnlyList<string> TagPrefixes => TerraformValues.Strings(Selection?["tagPrefixList"]);

    /// <summary><c>selection.countType</c>.</summary>
    public string? CountType => TerraformValues.Text(Selection?["countType"]);

    /// <summary><c>selection.countNumber</c>.</summary>
    public double? CountNumber => TerraformValues.Number(Selection?["countNumber"]);

    /// <summary>
    /// Whether the rule's tag requirements select an image carrying <paramref name="tag"/>: <c>any</c> does; a tagged
    /// rule does when every pattern (or prefix) of its list matches, as ECR requires of lists.
    /// </summary>
    public bool Selects(string tag) => TagStatus switch
    {
        "any" => true,
        "tagged" when TagPatterns.Count > 0 => TagPatterns.All(p => ArnPattern.GlobMatches(p.Replace("?", "\\?", StringComparison.Ordinal), tag)),
        "tagged" when TagPrefixes.Count > 0 => TagPrefixes.All(p => tag.StartsWith(p, StringComparison.Ordinal)),
        _ => false,
    };

    /// <summary>How the rule is named in a finding.</summary>
    public string Label => $"rules[{Index}] (rulePriority {(Priority is { } p ? TerraformValues.Show(p) : "unset")})";
}

/// <summary>ECR repositories, their lifecycle policies and the images that resources of the stack use.</summary>
public static class EcrImages
{
    /// <summary>The repository image a value names (<c>${aws_ecr_repository.r.repository_url}:tag</c>), or null.</summary>
    public static RepositoryImage? Parse(StackDocument stack, string? image)
    {
        if (image is null) return null;
        foreach (var reference in TerraformReference.All(image))
        {
            if (reference is not { Type: "aws_ecr_repository", Attribute: "repository_url" }) continue;
            if (stack.Target(reference) is not { } repository) return null;
            var text = $"${{{reference.Type}.{reference.Name}.{reference.Attribute}}}";
            var rest = image[(image.IndexOf(text, StringComparison.Ordinal) + text.Length)..];
            if (rest.StartsWith('@')) return new RepositoryImage(repository, null);
            if (rest.Length == 0) return new RepositoryImage(repository, "latest");
            var tag = rest.StartsWith(':') ? rest[1..] : null;
            return new RepositoryImage(repository, tag is null || TerraformReference.Unknown(tag) ? null : tag);
        }
        return null;
    }

    /// <summary>The lifecycle policy of a repository, or null.</summary>
    public static StackResource? LifecyclePolicy(StackDocument stack, StackResource repository) =>
        stack.Resources("aws_ecr_lifecycle_policy").FirstOrDefault(p =>
            stack.Named("aws_ecr_repository", "name", p.String("repository"))?.Address == repository.Address);

    /// <summary>The rules of a lifecycle policy; null when its policy is not JSON known at synth.</summary>
    public static IReadOnlyList<LifecycleRule>? Rules(StackResource lifecyclePolicy) =>
        TerraformValues.ParseEmbedded(lifecyclePolicy.String("policy")) is JsonObject policy
            ? [.. TerraformValues.Blocks(policy["rules"]).Select((r, i) => new LifecycleRule(i, r))]
            : null;

    /// <summary>The images the stack's SageMaker models and training jobs run, with where each is used.</summary>
    public static IEnumerable<(RepositoryImage Image, string UsedBy)> DeployedImages(StackDocument stack)
    {
        foreach (var model in stack.Resources("aws_sagemaker_model"))
            foreach (var image in SageMakerHosting.Images(model))
                if (Parse(stack, image) is { } parsed) yield return (parsed, model.Path);
        foreach (var state in StateMachines.States(stack).Where(s => s.Calls("sagemaker", "createTrainingJob")))
            if (Parse(stack, TerraformValues.Text(state.Parameter("AlgorithmSpecification/TrainingImage"))) is { } parsed)
                yield return (parsed, $"{state.Machine.Path} {state.Label}");
    }
}
