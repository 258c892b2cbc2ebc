namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>ECR repositories: IMMUTABLE tags, scan on push, KMS, a lifecycle policy. Mirrors CKV_AWS_51, CKV_AWS_163, CKV_AWS_136, AVD-AWS-0030/0031/0033.</summary>
public sealed class EcrRepositoryRule : PolicyRule
{
    /// <inheritdoc />
    public override string Id => "MLOPSTF-ECR-001";

    /// <inheritdoc />
    public override string Title => "ECR repositories are immutable, scanned, KMS-encrypted and expire images";

    /// <inheritdoc />
    public override string Mirrors => "CKV_AWS_51, CKV_AWS_163, CKV_AWS_136, AVD-AWS-0030, AVD-AWS-0031, AVD-AWS-0033";

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var repo in stack.Resources("aws_ecr_repository"))
        {
            if (repo.String("image_tag_mutability") != "IMMUTABLE")
                yield return Finding(stack, repo, "image tags are mutable", "set image_tag_mutability = IMMUTABLE");
            if (repo.Body["image_scanning_configuration"]?["scan_on_push"]?.GetValue<bool>() != true)
                yield return Finding(stack, repo, "images are not scanned on push", "set image_scanning_configuration.scan_on_push");
            if (repo.Body["encryption_configuration"]?.AsArray().Any(e => e?["encryption_type"]?.GetValue<string>() == "KMS") != true)
                yield return Finding(stack, repo, "images are not encrypted with KMS", "set encryption_configuration with a customer key");
            if (!stack.Referencing("aws_ecr_lifecycle_policy", "repository", repo).Any())
                yield return Finding(stack, repo, "the repository has no lifecycle policy", "add one (ContainerRepository does)");
        }
    }
}
