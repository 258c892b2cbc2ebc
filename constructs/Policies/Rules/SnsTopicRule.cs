namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>SNS topics are KMS-encrypted with a TLS-only policy. Mirrors CKV_AWS_26, AVD-AWS-0095, AVD-AWS-0136, AwsSolutions-SNS3.</summary>
public sealed class SnsTopicRule() : ResourceRule(
    "MLOPSTF-SNS-001",
    "SNS topics are KMS-encrypted with a TLS-only policy",
    "CKV_AWS_26, AVD-AWS-0095, AVD-AWS-0136, AwsSolutions-SNS3",
    "aws_sns_topic")
{
    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource topic)
    {
        if (string.IsNullOrEmpty(topic.String("kms_master_key_id")))
            yield return new("the topic is not encrypted with KMS", "set kms_master_key_id");
        var statements = stack.Resources("aws_sns_topic_policy").Where(p => p.String("arn") == topic.Ref("arn"))
            .SelectMany(p => stack.PolicyStatements(p.String("policy")));
        if (!statements.Any(s => s?["effect"]?.GetValue<string>() == "Deny"
                && s["condition"]?.AsArray().Any(c => c?["variable"]?.GetValue<string>() == "aws:SecureTransport") == true))
            yield return new("no topic policy denies requests without TLS", "add a Deny on aws:SecureTransport = false (AlertsTopic does)");
    }
}
