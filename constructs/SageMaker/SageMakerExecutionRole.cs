using MlopsTf.Constructs.StepFunctions;

namespace MlopsTf.Constructs.SageMaker;

/// <summary>Props for <see cref="SageMakerExecutionRole"/>.</summary>
public sealed record SageMakerExecutionRoleProps
{
    /// <summary>Name prefix of the environment (<c>mlopstf-dev</c>); the role is <c>&lt;prefix&gt;-sagemaker-execution</c> and may touch only jobs, models and groups with this prefix.</summary>
    public required string NamePrefix { get; init; }

    /// <summary>Account of the role.</summary>
    public required string AccountId { get; init; }

    /// <summary>Region of the jobs and models.</summary>
    public required string Region { get; init; }

    /// <summary>The guardrail that denies jobs and models outside the platform's private subnets; attached to the role.</summary>
    public required SageMakerVpcGuard VpcGuard { get; init; }

    /// <summary>Training data: read, every prefix.</summary>
    public required SecureBucket DataBucket { get; init; }

    /// <summary>Model archives: read, every prefix (deployed models); write only the training output prefix.</summary>
    public required SecureBucket ModelsBucket { get; init; }

    /// <summary>Pipeline artifacts: read and write only <see cref="SageMakerExecutionRole.ArtifactsPrefix"/> (the rest holds the Glue scripts).</summary>
    public required SecureBucket ArtifactsBucket { get; init; }

    /// <summary>Key of the data bucket, the Feature Store and the data capture.</summary>
    public required CustomerManagedKey DataKey { get; init; }

    /// <summary>Key of the models and artifacts buckets, images and training volumes.</summary>
    public required CustomerManagedKey ModelsKey { get; init; }
}

/// <summary>
/// The execution role of Studio users, training and processing jobs, deployed models and drift monitoring jobs:
/// scoped to the environment's prefix (no <c>AmazonSageMakerFullAccess</c>), inside the VPC guard, writing model
/// archives only under the training output so that no job or notebook can replace a deployed archive.
/// </summary>
public sealed class SageMakerExecutionRole : ServiceRole
{
    /// <summary>The artifacts-bucket prefix SageMaker jobs and Studio users may write.</summary>
    public const string ArtifactsPrefix = "sagemaker/";

    /// <summary>Creates the role and its policies.</summary>
    public SageMakerExecutionRole(Construct scope, string id, SageMakerExecutionRoleProps props) : base(scope, id, new ServiceRoleProps
    {
        RoleName = $"{props.NamePrefix}-sagemaker-execution",
        Service = "sagemaker.amazonaws.com",
        Description = $"Execution role of {props.NamePrefix} Studio users, training jobs and models (scoped; no AmazonSageMakerFullAccess)",
        SourceAccount = props.AccountId,
    })
    {
        var prefix = props.NamePrefix;
        var partition = Common.Arn.Partition(props.Region);
        var sagemaker = $"arn:{partition}:sagemaker:{props.Region}:{props.AccountId}";
        AttachPolicy("vpc-guard", props.VpcGuard.Arn);
        props.DataBucket.GrantRead(this);
        props.ModelsBucket.GrantRead(this);
        props.ModelsBucket.GrantReadWrite(this, TrainingPipeline.OutputPrefix);
        props.ArtifactsBucket.GrantReadWrite(this, ArtifactsPrefix);
        AddPolicy("sagemaker-runtime",
            Policy.Allow("JobsAndModels",
                ["sagemaker:CreateTrainingJob", "sagemaker:DescribeTrainingJob", "sagemaker:StopTrainingJob",
                 "sagemaker:CreateProcessingJob", "sagemaker:DescribeProcessingJob", "sagemaker:StopProcessingJob",
                 "sagemaker:CreateModel", "sagemaker:DescribeModel", "sagemaker:AddTags"],
                [$"{sagemaker}:training-job/{prefix}-*", $"{sagemaker}:processing-job/{prefix}-*", $"{sagemaker}:model/{prefix}-*"]),
            Policy.Allow("ReadRegistry", ["sagemaker:DescribeModelPackageGroup", "sagemaker:DescribeModelPackage", "sagemaker:ListModelPackages"],
                [$"{sagemaker}:model-package-group/{prefix}-*", $"{sagemaker}:model-package/{prefix}-*/*"]),
            Policy.Allow("FeatureStoreRecords", ["sagemaker:PutRecord", "sagemaker:GetRecord", "sagemaker:BatchGetRecord", "sagemaker:DescribeFeatureGroup"],
                [$"{sagemaker}:feature-group/{prefix}-*"]),
            Policy.Allow("StudioApps", ["sagemaker:CreateApp", "sagemaker:DeleteApp", "sagemaker:DescribeApp", "sagemaker:DescribeUserProfile", "sagemaker:DescribeDomain"],
                [$"{sagemaker}:app/*", $"{sagemaker}:user-profile/*", $"{sagemaker}:domain/*"]),
            Policy.Allow("PassOwnRoleToSageMaker", ["iam:PassRole"], [$"arn:{partition}:iam::{props.AccountId}:role/{prefix}-sagemaker-execution"],
                conditions: [Policy.When("StringEquals", "iam:PassedToService", "sagemaker.amazonaws.com")]),
            Policy.Allow("SageMakerLogs", ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                [$"arn:{partition}:logs:{props.Region}:{props.AccountId}:log-group:/aws/sagemaker/*"]),
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
