namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// An ECR lifecycle policy ECR accepts: unique rule priorities, a <c>tagStatus any</c> rule last (highest priority
/// number), at most one untagged rule, tagged rules with exactly one of <c>tagPatternList</c> and <c>tagPrefixList</c>,
/// at most four wildcards per pattern, <c>countUnit</c> only with <c>sinceImagePushed</c>, a positive count.
/// </summary>
public sealed class EcrLifecyclePolicyRule() : ServiceRule(
    "MLOPSTF-AWS-033",
    "ECR lifecycle policies are valid: unique priorities, 'any' last, one untagged rule, one tag list, <= 4 wildcards",
    "https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var policy in stack.Resources("aws_ecr_lifecycle_policy"))
        {
            if (EcrImages.Rules(policy) is not { } rules)
            {
                if (!TerraformReference.Unknown(policy.String("policy")))
                    yield return Finding(stack, policy, "policy is not a JSON lifecycle policy", "write the policy as JSON with a rules array");
                continue;
            }
            foreach (var duplicate in rules.Where(r => r.Priority is not null).GroupBy(r => r.Priority).Where(g => g.Count() > 1))
                yield return Finding(stack, policy, $"rulePriority {TerraformValues.Show(duplicate.Key!.Value)} is used by {string.Join(", ", duplicate.Select(r => r.Label))}",
                    "give every rule a unique rulePriority");
            var highest = rules.Select(r => r.Priority ?? 0).DefaultIfEmpty(0).Max();
            foreach (var any in rules.Where(r => r.TagStatus == "any" && r.Priority < highest))
                yield return Finding(stack, policy, $"{any.Label} selects tagStatus any but is not the highest rulePriority ({TerraformValues.Show(highest)})",
                    "give the tagStatus any rule the highest rulePriority, so it is evaluated last");
            var untagged = rules.Where(r => r.TagStatus == "untagged").ToList();
            if (untagged.Count > 1)
                yield return Finding(stack, policy, $"{string.Join(", ", untagged.Select(r => r.Label))} all select untagged images; ECR allows one", "keep a single untagged rule");
            foreach (var rule in rules)
            {
                foreach (var problem in Problems(rule))
                    yield return Finding(stack, policy, $"{rule.Label} {problem.Problem}", problem.Fix);
            }
        }
    }

    private static IEnumerable<(string Problem, string Fix)> Problems(LifecycleRule rule)
    {
        if (rule.Priority is not { } priority || priority < 1 || priority % 1 != 0)
            yield return ("has no positive integer rulePriority", "set rulePriority to a unique positive integer");
        var patterns = rule.Selection?["tagPatternList"] is not null;
        var prefixes = rule.Selection?["tagPrefixList"] is not null;
        switch (rule.TagStatus)
        {
            case "tagged" when patterns && prefixes:
                yield return ("sets both tagPatternList and tagPrefixList", "use one of them (tagPatternList is recommended)");
                break;
            case "tagged" when rule.TagPatterns.Count == 0 && rule.TagPrefixes.Count == 0:
                yield return ("selects tagged images without tagPatternList or tagPrefixList", "list the tag patterns (or prefixes) the rule applies to");
                break;
            case "untagged" or "any" when patterns || prefixes:
                yield return ($"selects tagStatus {rule.TagStatus} but lists tags", "remove tagPatternList and tagPrefixList, or select tagged images");
                break;
            case "tagged" or "untagged" or "any":
                break;
            default:
                yield return ($"selection.tagStatus = {rule.TagStatus ?? "unset"} is not tagged, untagged or any", "set tagStatus to tagged, untagged or any");
                break;
        }
        foreach (var pattern in rule.TagPatterns.Where(p => p.Count(c => c == '*') > 4))
            yield return ($"tagPatternList entry \"{pattern}\" has {pattern.Count(c => c == '*')} wildcards; ECR allows 4", "use at most four * per pattern");
        var unit = rule.Selection?["countUnit"] is not null;
        switch (rule.CountType)
        {
            case "sinceImagePushed" when TerraformValues.Text(rule.Selection?["countUnit"]) != "days":
                yield return ("counts sinceImagePushed without countUnit days", "set countUnit to days");
                break;
            case "imageCountMoreThan" when unit:
                yield return ("sets countUnit with countType imageCountMoreThan", "remove countUnit (it applies only to sinceImagePushed)");
                break;
            case "sinceImagePushed" or "imageCountMoreThan":
                break;
            default:
                yield return ($"selection.countType = {rule.CountType ?? "unset"} is not imageCountMoreThan or sinceImagePushed", "use imageCountMoreThan or sinceImagePushed");
                break;
        }
        if (rule.CountNumber is not { } count || count < 1 || count % 1 != 0)
            yield return ("has no positive integer countNumber", "set countNumber to a positive integer");
        if (TerraformValues.Text(rule.Body["action"]?["type"]) != "expire")
            yield return ("has no action of type expire", "set action.type to expire");
    }
}
