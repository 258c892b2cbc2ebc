namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>ECR repositories: IMMUTABLE tags, scan on push, KMS, a lifecycle policy. Mirrors CKV_AWS_51, CKV_AWS_163, CKV_AWS_136, AVD-AWS-0030/0031/0033.</summary>
public sealed class EcrRepositoryRule() : ResourceRule(
    "MLOPSTF-ECR-001",
    "ECR repositories are immutable, scanned, KMS-encrypted and expire images",
    "CKV_AWS_51, CKV_AWS_163, CKV_AWS_136, AVD-AWS-0030, AVD-AWS-0031, AVD-AWS-0033",
    "aws_ecr_repository")
{
    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource repo)
    {
        if (repo.String("image_tag_mutability") != "IMMUTABLE")
            yield return new("image tags are mutable", "set image_tag_mutability = IMMUTABLE");
        if (repo.Body["image_scanning_configuration"]?["scan_on_push"]?.GetValue<bool>() != true)
            yield return new("images are not scanned on push", "set image_scanning_configuration.scan_on_push");
        if (repo.Body["encryption_configuration"]?.AsArray().Any(e => e?["encryption_type"]?.GetValue<string>() == "KMS") != true)
            yield return new("images are not encrypted with KMS", "set encryption_configuration with a customer key");
        if (!stack.Referencing("aws_ecr_lifecycle_policy", "repository", repo).Any())
            yield return new("the repository has no lifecycle policy", "add one (ContainerRepository does)");
    }
}
