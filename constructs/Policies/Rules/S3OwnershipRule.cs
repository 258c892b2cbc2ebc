namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>S3 buckets enforce bucket-owner ownership (ACLs off). Mirrors AwsSolutions-S2 (ACLs), checkov object ownership guidance.</summary>
public sealed class S3OwnershipRule : PolicyRule
{
    /// <inheritdoc />
    public override string Id => "MLOPSTF-S3-007";

    /// <inheritdoc />
    public override string Title => "S3 buckets enforce bucket-owner ownership (ACLs off)";

    /// <inheritdoc />
    public override string Mirrors => "AwsSolutions-S2 (ACLs), checkov object ownership guidance";

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var bucket in stack.Resources("aws_s3_bucket"))
        {
            if (!stack.Referencing("aws_s3_bucket_ownership_controls", "bucket", bucket).Any(o => o.Body["rule"]?["object_ownership"]?.GetValue<string>() == "BucketOwnerEnforced"))
                yield return Finding(stack, bucket, "object ownership is not BucketOwnerEnforced", "add aws_s3_bucket_ownership_controls with BucketOwnerEnforced");
        }
    }
}
