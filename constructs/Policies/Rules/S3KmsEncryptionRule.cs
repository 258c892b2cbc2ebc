namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Every bucket's default encryption is SSE-KMS with a customer managed key. Mirrors CKV_AWS_145, AVD-AWS-0132.</summary>
public sealed class S3KmsEncryptionRule() : ResourceRule(
    "MLOPSTF-S3-003",
    "S3 buckets default to SSE-KMS with a customer managed key",
    "CKV_AWS_145, AVD-AWS-0132",
    "aws_s3_bucket")
{
    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource bucket)
    {
        var rules = stack.Referencing("aws_s3_bucket_server_side_encryption_configuration", "bucket", bucket)
            .SelectMany(c => c.Body["rule"]?.AsArray() ?? []).ToList();
        var kms = rules.Any(r => r?["apply_server_side_encryption_by_default"]?["sse_algorithm"]?.GetValue<string>() == "aws:kms"
            && r["apply_server_side_encryption_by_default"]?["kms_master_key_id"] is not null);
        if (!kms)
            yield return new("default encryption is not SSE-KMS with a customer managed key", "pass a CustomerManagedKey to SecureBucket");
    }
}
