namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Every bucket's default encryption is SSE-KMS with a customer managed key. Mirrors CKV_AWS_145, AVD-AWS-0132.</summary>
public sealed class S3KmsEncryptionRule : PolicyRule
{
    /// <inheritdoc />
    public override string Id => "MLOPSTF-S3-003";

    /// <inheritdoc />
    public override string Title => "S3 buckets default to SSE-KMS with a customer managed key";

    /// <inheritdoc />
    public override string Mirrors => "CKV_AWS_145, AVD-AWS-0132";

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var bucket in stack.Resources("aws_s3_bucket"))
        {
            var rules = stack.Referencing("aws_s3_bucket_server_side_encryption_configuration", "bucket", bucket)
                .SelectMany(c => c.Body["rule"]?.AsArray() ?? []).ToList();
            var kms = rules.Any(r => r?["apply_server_side_encryption_by_default"]?["sse_algorithm"]?.GetValue<string>() == "aws:kms"
                && r["apply_server_side_encryption_by_default"]?["kms_master_key_id"] is not null);
            if (!kms)
                yield return Finding(stack, bucket, "default encryption is not SSE-KMS with a customer managed key", "pass a CustomerManagedKey to SecureBucket");
        }
    }
}
