namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// Every image tag a model or training job of the stack runs is protected in its repository's lifecycle policy: a
/// rule whose <c>tagPatternList</c> is exactly that tag, keeping at least one image (<c>imageCountMoreThan</c>,
/// <c>countNumber</c> of at least 1), with a lower rule priority than every expiring rule that could select the image.
/// ECR never lets a lower-priority rule expire an image that matches a higher-priority rule's tags; several patterns in
/// one rule must all match, so the protection is one rule per tag.
/// </summary>
public sealed class EcrDeployedTagProtectedRule() : ServiceRule(
    "MLOPSTF-AWS-034",
    "Image tags the stack deploys or trains with are protected from the repository's lifecycle policy",
    "https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html#lp_evaluation_rules")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        var uses = EcrImages.DeployedImages(stack).Where(u => u.Image.Tag is not null)
            .GroupBy(u => (u.Image.Repository.Address, u.Image.Tag));
        foreach (var use in uses)
        {
            var repository = use.First().Image.Repository;
            var tag = use.Key.Tag!;
            if (EcrImages.LifecyclePolicy(stack, repository) is not { } policy || EcrImages.Rules(policy) is not { } rules) continue;
            var usedBy = string.Join(", ", use.Select(u => u.UsedBy).Distinct());
            var protector = rules.Where(r => Protects(r, tag)).OrderBy(r => r.Priority).FirstOrDefault();
            var threats = rules.Where(r => r != protector && r.Selects(tag) && (protector is null || !(r.Priority > protector.Priority))).ToList();
            if (protector is null && threats.Count == 0) continue;
            if (protector is null)
                yield return Finding(stack, policy,
                    $"{string.Join(", ", threats.Select(t => t.Label))} can expire {repository.Path}:{tag}, which {usedBy} runs, and no rule protects tag {tag}",
                    $"add a rule with tagStatus tagged, tagPatternList [\"{tag}\"], countType imageCountMoreThan, countNumber 1 and a lower rulePriority than every other rule");
            else if (threats.Count > 0)
                yield return Finding(stack, policy,
                    $"{protector.Label} protects tag {tag} ({usedBy}), but {string.Join(", ", threats.Select(t => t.Label))} can select it first",
                    $"give the rule for {tag} a lower rulePriority than {string.Join(", ", threats.Select(t => t.Label))}");
        }
    }

    private static bool Protects(LifecycleRule rule, string tag) =>
        rule.TagStatus == "tagged" && rule.TagPatterns is [var only] && only == tag && rule.TagPrefixes.Count == 0
        && rule.CountType == "imageCountMoreThan" && rule.CountNumber >= 1 && rule.Priority is not null;
}
