namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>S3 bucket policies deny non-TLS requests and never allow everyone. Mirrors AwsSolutions-S10, CKV_AWS_70, CKV_AWS_93.</summary>
public sealed class S3TlsOnlyPolicyRule() : ResourceRule(
    "MLOPSTF-S3-006",
    "S3 bucket policies deny non-TLS requests and never allow everyone",
    "AwsSolutions-S10, CKV_AWS_70, CKV_AWS_93",
    "aws_s3_bucket")
{
    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource bucket)
    {
        var statements = stack.Referencing("aws_s3_bucket_policy", "bucket", bucket)
            .SelectMany(p => stack.PolicyStatements(p.String("policy"))).ToList();
        if (!statements.Any(s => s?["effect"]?.GetValue<string>() == "Deny"
                && s["condition"]?.AsArray().Any(c => c?["variable"]?.GetValue<string>() == "aws:SecureTransport" && c["values"]?[0]?.GetValue<string>() == "false") == true))
            yield return new("no bucket policy denies requests without TLS", "add a Deny on aws:SecureTransport = false (SecureBucket does)");
        if (statements.Any(AllowsEveryone))
            yield return new("the bucket policy allows every principal", "name the principals that need access");
    }
}
