namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>SageMaker domains are VpcOnly with a customer managed key. Mirrors CKV_AWS_187, MLOPSTF custom (VpcOnly).</summary>
public sealed class SageMakerDomainRule : PolicyRule
{
    /// <inheritdoc />
    public override string Id => "MLOPSTF-SM-001";

    /// <inheritdoc />
    public override string Title => "SageMaker domains are VpcOnly with a customer managed key";

    /// <inheritdoc />
    public override string Mirrors => "CKV_AWS_187, MLOPSTF custom (VpcOnly)";

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var domain in stack.Resources("aws_sagemaker_domain"))
        {
            if (domain.String("app_network_access_type") != "VpcOnly")
                yield return Finding(stack, domain, "apps reach the internet directly", "set app_network_access_type = VpcOnly");
            if (string.IsNullOrEmpty(domain.String("kms_key_id")))
                yield return Finding(stack, domain, "the domain is not encrypted with a customer key", "set kms_key_id");
        }
    }
}
