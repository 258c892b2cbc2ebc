namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>Allow statements use Resource * only for actions that cannot be scoped. Mirrors CKV_AWS_355, CKV_AWS_290, CKV_AWS_289, AVD-AWS-0057, AwsSolutions-IAM5.</summary>
public sealed class WildcardResourceRule() : PolicyRule(
    "MLOPSTF-IAM-004",
    "Allow statements use Resource * only for actions that cannot be scoped",
    "CKV_AWS_355, CKV_AWS_290, CKV_AWS_289, AVD-AWS-0057, AwsSolutions-IAM5")
{
    /// <summary>Actions AWS offers no resource-level permissions for; only these may use Resource "*".</summary>
    public static readonly IReadOnlySet<string> UnscopableActions = new HashSet<string>(StringComparer.Ordinal)
    {
        "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses",
        "ec2:UnassignPrivateIpAddresses", "ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterfacePermission", "ec2:DescribeVpcs",
        "ec2:DescribeDhcpOptions", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "xray:PutTraceSegments", "xray:PutTelemetryRecords",
        "xray:GetSamplingRules", "xray:GetSamplingTargets", "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery",
        "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups",
        "ecr:GetAuthorizationToken", "cloudwatch:PutMetricData", "sagemaker:ListEndpoints",
    };

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        var keyPolicies = PolicyDocuments.KeyPolicies(stack); // a key policy's * is the key itself
        return from statement in PolicyDocuments.Statements(stack)
               where !statement.InKeyPolicy(keyPolicies) && statement.Body["effect"]?.GetValue<string>() == "Allow" && statement.Resources.Contains("*")
               from action in statement.Actions
               where !UnscopableActions.Contains(action)
               select Finding(stack, statement.Document, $"allows {action} on every resource", "scope the resource to the ARNs the action needs");
    }
}
