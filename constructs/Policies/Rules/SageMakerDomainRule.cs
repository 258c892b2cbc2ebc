namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>SageMaker domains are VpcOnly with a customer managed key. Mirrors CKV_AWS_187, MLOPSTF custom (VpcOnly).</summary>
public sealed class SageMakerDomainRule() : ResourceRule(
    "MLOPSTF-SM-001",
    "SageMaker domains are VpcOnly with a customer managed key",
    "CKV_AWS_187, MLOPSTF custom (VpcOnly)",
    "aws_sagemaker_domain")
{
    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource domain)
    {
        if (domain.String("app_network_access_type") != "VpcOnly")
            yield return new("apps reach the internet directly", "set app_network_access_type = VpcOnly");
        if (string.IsNullOrEmpty(domain.String("kms_key_id")))
            yield return new("the domain is not encrypted with a customer key", "set kms_key_id");
    }
}
