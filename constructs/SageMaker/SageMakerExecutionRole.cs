namespace MlopsTf.Constructs.SageMaker;

/// <summary>Props for <see cref="SageMakerExecutionRole"/>.</summary>
public sealed record SageMakerExecutionRoleProps
{
    /// <summary>The guardrail that denies jobs and models outside the platform's private subnets; attached to the role.</summary>
    public required SageMakerVpcGuard VpcGuard { get; init; }

    /// <summary>Training data: read, every prefix.</summary>
    public required SecureBucket DataBucket { get; init; }

    /// <summary>Model archives: read, every prefix (deployed models); write only the training output prefix.</summary>
    public required SecureBucket ModelsBucket { get; init; }

    /// <summary>Pipeline artifacts: read and write only <see cref="DataLayout.Artifacts.SageMaker"/> (the rest holds the Glue scripts).</summary>
    public required SecureBucket ArtifactsBucket { get; init; }

    /// <summary>The model registry: read its groups and packages.</summary>
    public required ModelRegistry Registry { get; init; }

    /// <summary>The feature store: read and write records.</summary>
    public required FeatureStore FeatureStore { get; init; }

    /// <summary>Key of the data bucket, the Feature Store and the data capture.</summary>
    public required CustomerManagedKey DataKey { get; init; }

    /// <summary>Key of the models and artifacts buckets, images and training volumes.</summary>
    public required CustomerManagedKey ModelsKey { get; init; }

    /// <summary>Whether training jobs write Spot checkpoints (read-write on the models bucket's checkpoints prefix). Default: false.</summary>
    public bool WritesCheckpoints { get; init; }
}

/// <summary>
/// The execution role (<c>&lt;prefix&gt;-sagemaker-execution</c>) of Studio users, training and processing jobs,
/// deployed models and drift monitoring jobs: scoped to the environment's prefix (no <c>AmazonSageMakerFullAccess</c>), inside the VPC guard, writing model
/// archives only under the training output so that no job or notebook can replace a deployed archive.
/// </summary>
public sealed class SageMakerExecutionRole : ServiceRole
{
    private const string RoleSuffix = "sagemaker-execution";

    /// <summary>Creates the role and its policies.</summary>
    public SageMakerExecutionRole(Construct scope, string id, SageMakerExecutionRoleProps props) : base(scope, id, new ServiceRoleProps
    {
        RoleName = StackContext.Of(scope).Name(RoleSuffix),
        Service = "sagemaker.amazonaws.com",
        Description = $"Execution role of {StackContext.Of(scope).NamePrefix} Studio users, training jobs and models (scoped; no AmazonSageMakerFullAccess)",
        ScopeToSourceAccount = true,
    })
    {
        var context = StackContext.Of(scope);
        var prefix = context.NamePrefix;
        var sagemaker = context.ServiceArn("sagemaker", "");
        AttachPolicy("vpc-guard", props.VpcGuard.Arn);
        props.DataBucket.GrantRead(this);
        props.ModelsBucket.GrantRead(this);
        props.ModelsBucket.GrantReadWrite(this, DataLayout.Models.TrainingOutput);
        if (props.WritesCheckpoints) props.ModelsBucket.GrantReadWrite(this, DataLayout.Models.Checkpoints);
        props.ArtifactsBucket.GrantReadWrite(this, DataLayout.Artifacts.SageMaker);
        AddPolicy("sagemaker-runtime",
            Policy.Allow("JobsAndModels",
                ["sagemaker:CreateTrainingJob", "sagemaker:DescribeTrainingJob", "sagemaker:StopTrainingJob",
                 "sagemaker:CreateProcessingJob", "sagemaker:DescribeProcessingJob", "sagemaker:StopProcessingJob",
                 "sagemaker:CreateModel", "sagemaker:DescribeModel", "sagemaker:AddTags"],
                [$"{sagemaker}training-job/{prefix}-*", $"{sagemaker}processing-job/{prefix}-*", $"{sagemaker}model/{prefix}-*"]),
            props.Registry.ReadStatement("ReadRegistry"),
            props.FeatureStore.RecordsStatement("FeatureStoreRecords"),
            Policy.Allow("StudioApps", ["sagemaker:CreateApp", "sagemaker:DeleteApp", "sagemaker:DescribeApp", "sagemaker:DescribeUserProfile", "sagemaker:DescribeDomain"],
                [$"{sagemaker}app/*", $"{sagemaker}user-profile/*", $"{sagemaker}domain/*"]),
            Policy.Allow("PassOwnRoleToSageMaker", ["iam:PassRole"], [context.IamArn($"role/{context.Name(RoleSuffix)}")],
                conditions: [Policy.When("StringEquals", "iam:PassedToService", "sagemaker.amazonaws.com")]),
            Policy.Allow("SageMakerLogs", ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                [context.ServiceArn("logs", "log-group:/aws/sagemaker/*")]),
            CustomerManagedKey.Allow("DataAndModelKeys", KeyUse.EncryptDecrypt, props.DataKey, props.ModelsKey),
            CustomerManagedKey.AllowGrantsForAwsResources("VolumeKeyGrants", props.DataKey, props.ModelsKey),
            // Metrics and VPC network interfaces have no resource-level permissions.
            Policy.Allow("TrainingMetrics", ["cloudwatch:PutMetricData"], ["*"],
                conditions: [Policy.When("StringLike", "cloudwatch:namespace", "/aws/sagemaker/*", "aws/sagemaker/*")]),
            Policy.Allow("VpcNetworkInterfaces",
                ["ec2:CreateNetworkInterface", "ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface", "ec2:DeleteNetworkInterfacePermission",
                 "ec2:DescribeNetworkInterfaces", "ec2:DescribeVpcs", "ec2:DescribeDhcpOptions", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups"], ["*"]));
    }
}
