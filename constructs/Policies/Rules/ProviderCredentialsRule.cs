namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>No credentials in the provider block. Mirrors CKV_AWS_41.</summary>
public sealed class ProviderCredentialsRule() : PolicyRule(
    "MLOPSTF-PROV-001",
    "No credentials in the provider block",
    "CKV_AWS_41")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var provider in stack.Json["provider"]?["aws"]?.AsArray() ?? [])
        {
            if (provider?["access_key"] is not null || provider?["secret_key"] is not null || provider?["token"] is not null)
                yield return new PolicyFinding(Id, Severity, stack.Name, "provider.aws", $"{stack.Name}/aws", "the provider block holds credentials", "pass credentials through the environment or a role");
        }
    }
}
