using MlopsTf.Constructs.Policies.Rules;

namespace MlopsTf.Constructs.Policies;

/// <summary>A finding that a local waiver accepts.</summary>
/// <param name="Finding">The finding.</param>
/// <param name="Reason">The waiver's written reason.</param>
public sealed record WaivedFinding(PolicyFinding Finding, string Reason);

/// <summary>The outcome of the pack on one stack.</summary>
/// <param name="Stack">Stack name.</param>
/// <param name="Findings">Findings no waiver accepts (errors fail synth).</param>
/// <param name="Waived">Findings accepted by a waiver, with its reason.</param>
public sealed record StackPolicyResult(string Stack, IReadOnlyList<PolicyFinding> Findings, IReadOnlyList<WaivedFinding> Waived);

/// <summary>Every policy rule, and their evaluation with waivers.</summary>
public static class PolicyPack
{
    /// <summary>The rules, in id order.</summary>
    public static IReadOnlyList<PolicyRule> Rules { get; } =
    [
        new AlarmActionsRule(), new DynamoDbTableRule(), new EcrRepositoryRule(), new GlueSecurityConfigurationRule(),
        new ManagedAdminPolicyRule(), new WildcardActionRule(), new KmsRotationRule(), new KmsPolicyPrincipalRule(),
        new LambdaFunctionRule(), new LambdaRuntimeRule(), new LambdaPermissionRule(), new LogGroupRule(), new GitHubOidcTrustRule(),
        new ProviderCredentialsRule(), new S3PublicAccessBlockRule(), new S3VersioningRule(), new S3KmsEncryptionRule(),
        new S3AccessLoggingRule(), new S3LifecycleRule(), new S3TlsOnlyPolicyRule(), new S3OwnershipRule(), new DefaultSecurityGroupRule(),
        new SecurityGroupRuleRule(), new StepFunctionsRule(), new SageMakerDomainRule(), new EndpointConfigurationKmsRule(),
        new ModelNetworkIsolationRule(), new MonitoringJobEncryptionRule(), new FeatureGroupEncryptionRule(), new SnsTopicRule(),
        new VpcFlowLogsRule(), new ProdInstanceCountRule(), new EcrPublicPolicyRule(), new LambdaSecretsRule(), new GlueCatalogEncryptionRule(),
        new ProdLogRetentionRule(), new RoleTrustPrincipalRule(), new WildcardResourceRule(), new JsonArgumentRule(), new CloudTrailRule(), new SsmParameterRule(), new CloudFrontDistributionRule(),
    ];

    /// <summary>The security rules and the AWS service rules (<see cref="ServicePack"/>): what synth evaluates.</summary>
    public static IReadOnlyList<PolicyRule> AllRules { get; } = [.. Rules, .. ServicePack.Rules];

    /// <summary>Id of the rule that checks the waivers themselves.</summary>
    public const string WaiverRuleId = "MLOPSTF-POL-001";

    /// <summary>Evaluates every rule on <paramref name="stack"/>; waivers with an unknown rule id or no reason are findings.</summary>
    public static StackPolicyResult Evaluate(StackDocument stack)
    {
        var ids = AllRules.Select(r => r.Id).ToHashSet();
        var resources = stack.AllResources.ToList();
        var waivers = resources.ToDictionary(r => r.Address, Waivers.Of);
        var findings = new List<PolicyFinding>();
        var waived = new List<WaivedFinding>();
        foreach (var finding in AllRules.SelectMany(r => r.Evaluate(stack)))
        {
            if (waivers.TryGetValue(finding.Address, out var w) && w.TryGetValue(finding.RuleId, out var reason) && !string.IsNullOrWhiteSpace(reason))
                waived.Add(new WaivedFinding(finding, reason));
            else
                findings.Add(finding);
        }
        foreach (var resource in resources)
        {
            foreach (var (ruleId, reason) in waivers[resource.Address])
            {
                if (!ids.Contains(ruleId))
                    findings.Add(new PolicyFinding(WaiverRuleId, Severity.Error, stack.Name, resource.Address, resource.Path, $"waives unknown rule {ruleId}", $"use one of {string.Join(", ", ids.Order())}"));
                else if (string.IsNullOrWhiteSpace(reason))
                    findings.Add(new PolicyFinding(WaiverRuleId, Severity.Error, stack.Name, resource.Address, resource.Path, $"waives {ruleId} without a reason", "write why the rule does not apply"));
            }
        }
        return new StackPolicyResult(stack.Name, findings, waived);
    }
}
