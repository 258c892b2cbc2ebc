namespace MlopsTf.Environments;

/// <summary>Commercial AWS regions in which SageMaker is offered; the allow-list for region fields.</summary>
public static class AwsRegions
{
    /// <summary>Region codes.</summary>
    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        "us-east-1", "us-east-2", "us-west-1", "us-west-2",
        "ca-central-1", "sa-east-1",
        "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2",
        "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
        "ap-south-1", "ap-south-2", "ap-east-1",
        "me-south-1", "me-central-1", "af-south-1", "il-central-1",
    };
}
