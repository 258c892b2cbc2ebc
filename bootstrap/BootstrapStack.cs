using Constructs;
using HashiCorp.Cdktf;
using HashiCorp.Cdktf.Providers.Aws.DataAwsIamPolicyDocument;
using HashiCorp.Cdktf.Providers.Aws.DynamodbTable;
using HashiCorp.Cdktf.Providers.Aws.IamOpenidConnectProvider;
using HashiCorp.Cdktf.Providers.Aws.IamRole;
using HashiCorp.Cdktf.Providers.Aws.IamRolePolicy;
using HashiCorp.Cdktf.Providers.Aws.IamRolePolicyAttachment;
using MlopsTf.Constructs.Common;
using MlopsTf.Constructs.Security;
using MlopsTf.Constructs.Storage;
using MlopsTf.Environments;

namespace MlopsTf.Bootstrap;

/// <summary>Props for <see cref="BootstrapStack"/>.</summary>
public sealed record BootstrapStackProps
{
    /// <summary>The environment whose account and state backend this stack prepares.</summary>
    public required EnvironmentConfig Environment { get; init; }

    /// <summary>The only repository whose GitHub Actions may assume the CI roles.</summary>
    public required GitHubRepository GitHub { get; init; }
}

/// <summary>
/// One-time, per-account resources that the environment stacks stand on: the state bucket (and its access-log
/// bucket), the lock table, the KMS key that encrypts both, the GitHub OIDC provider and the CI plan and apply roles.
/// Applied by a person with administrator credentials, never by CI.
/// </summary>
public sealed class BootstrapStack : TerraformStack
{
    /// <summary>GitHub's OIDC issuer.</summary>
    public const string GitHubOidcUrl = "https://token.actions.githubusercontent.com";

    /// <summary>Thumbprints of GitHub's OIDC certificate chain (IAM no longer checks them for GitHub, but the API accepts them).</summary>
    public static readonly string[] GitHubOidcThumbprints =
        ["6938fd4d98bab03faadb97b34396831e3780aea1", "1c58a3a8518e8759bf075b76b750d4f2df264fcd"];

    /// <summary>Object key of the bootstrap stack's own state in the state bucket.</summary>
    public const string StateKey = "bootstrap/terraform.tfstate";

    /// <summary>The state bucket.</summary>
    public SecureBucket StateBucket { get; }

    /// <summary>The lock table.</summary>
    public DynamodbTable LockTable { get; }

    /// <summary>The role pull requests assume to plan.</summary>
    public IamRole PlanRole { get; }

    /// <summary>The role the deploy workflow assumes to apply.</summary>
    public IamRole ApplyRole { get; }

    /// <summary>Creates the stack <c>bootstrap-&lt;env&gt;</c>.</summary>
    public BootstrapStack(Construct scope, BootstrapStackProps props) : base(scope, $"bootstrap-{props.Environment.Name}")
    {
        var env = props.Environment;
        var backend = env.StateBackend;
        var region = backend.Region;
        StackDefaults.AwsProvider(this, env, region, "bootstrap");
        StackDefaults.PinAwsProvider(this);
        // The stack keeps its state in the bucket it creates. The first apply, before that bucket exists, runs with a
        // local-backend override and then migrates (scripts/bootstrap.sh, bootstrap/README.md).
        StackDefaults.StateBackend(this, env, StateKey);

        var key = new CustomerManagedKey(this, "state-key", new CustomerManagedKeyProps
        {
            Alias = backend.KmsKeyAlias,
            Description = $"Encrypts the Terraform state and lock table of {Platform.Project} {env.Name}",
            AccountId = env.AccountId,
            Region = region,
        });
        var logs = new SecureBucket(this, "state-access-logs", new SecureBucketProps
        {
            BucketName = $"{backend.Bucket}-access-logs",
            AccountId = env.AccountId,
            UseS3ManagedEncryptionForLogDelivery = true,
            ReceivesAccessLogs = true,
            ExpireObjectsAfterDays = 365,
        });
        StateBucket = new SecureBucket(this, "state-bucket", new SecureBucketProps
        {
            BucketName = backend.Bucket,
            AccountId = env.AccountId,
            EncryptionKey = key,
            AccessLogBucket = logs,
            PreventDestroy = true,
            NoncurrentVersionExpirationDays = 90,
        });
        LockTable = new DynamodbTable(this, "lock-table", new DynamodbTableConfig
        {
            Name = backend.LockTable,
            BillingMode = "PAY_PER_REQUEST",
            HashKey = "LockID",
            Attribute = new IDynamodbTableAttribute[] { new DynamodbTableAttribute { Name = "LockID", Type = "S" } },
            PointInTimeRecovery = new DynamodbTablePointInTimeRecovery { Enabled = true },
            ServerSideEncryption = new DynamodbTableServerSideEncryption { Enabled = true, KmsKeyArn = key.Arn },
            DeletionProtectionEnabled = true,
            Lifecycle = new TerraformResourceLifecycle { PreventDestroy = true },
        });

        var oidc = new IamOpenidConnectProvider(this, "github-oidc", new IamOpenidConnectProviderConfig
        {
            Url = GitHubOidcUrl,
            ClientIdList = ["sts.amazonaws.com"],
            ThumbprintList = GitHubOidcThumbprints,
        });
        var trust = Policy.Document(this, "github-trust", new DataAwsIamPolicyDocumentStatement
        {
            Sid = "GitHubActionsEnvironmentOnly",
            Effect = "Allow",
            Actions = ["sts:AssumeRoleWithWebIdentity"],
            Principals = Policy.Principal("Federated", oidc.Arn),
            Condition = new IDataAwsIamPolicyDocumentStatementCondition[]
            {
                Policy.When("StringEquals", "token.actions.githubusercontent.com:aud", "sts.amazonaws.com"),
                Policy.When("StringEquals", "token.actions.githubusercontent.com:sub", $"repo:{props.GitHub}:environment:{env.Name}"),
            },
        });

        var stateRead = StateStatements(env, key, StateBucket, write: false);
        var stateWrite = StateStatements(env, key, StateBucket, write: true);

        PlanRole = CiRole("plan-role", $"{Platform.Project}-{env.Name}-github-plan",
            $"GitHub Actions plans for {props.GitHub} environment {env.Name}: read-only, plus state read and locking", trust);
        new IamRolePolicyAttachment(this, "plan-role-read-only", new IamRolePolicyAttachmentConfig
        {
            Role = PlanRole.Name,
            PolicyArn = Arn.ManagedPolicy(region, "ReadOnlyAccess"),
        });
        new IamRolePolicy(this, "plan-role-state", new IamRolePolicyConfig
        {
            Name = "terraform-state-read-and-lock",
            Role = PlanRole.Id,
            Policy = Policy.Document(this, "plan-state-policy", [.. stateRead]).Json,
        });

        ApplyRole = CiRole("apply-role", $"{Platform.Project}-{env.Name}-github-apply",
            $"GitHub Actions applies for {props.GitHub} environment {env.Name}: PowerUser plus project-scoped IAM", trust);
        new IamRolePolicyAttachment(this, "apply-role-power-user", new IamRolePolicyAttachmentConfig
        {
            Role = ApplyRole.Name,
            PolicyArn = Arn.ManagedPolicy(region, "PowerUserAccess"),
        });
        new IamRolePolicy(this, "apply-role-state", new IamRolePolicyConfig
        {
            Name = "terraform-state-read-write",
            Role = ApplyRole.Id,
            Policy = Policy.Document(this, "apply-state-policy", [.. stateWrite]).Json,
        });
        new IamRolePolicy(this, "apply-role-iam", new IamRolePolicyConfig
        {
            Name = "project-scoped-iam",
            Role = ApplyRole.Id,
            Policy = Policy.Document(this, "apply-iam-policy", [.. ProjectIamStatements(env, region)]).Json,
        });

        Output("state_bucket_name", StateBucket.Name, "Name of the Terraform state bucket");
        Output("lock_table_name", LockTable.Name, "Name of the DynamoDB lock table");
        Output("state_kms_key_arn", key.Arn, "ARN of the KMS key that encrypts state and locks");
        Output("github_oidc_provider_arn", oidc.Arn, "ARN of the GitHub Actions OIDC provider");
        Output("plan_role_arn", PlanRole.Arn, "Role that pull-request workflows assume to plan");
        Output("apply_role_arn", ApplyRole.Arn, "Role that the deploy workflow assumes to apply");
    }

    private IamRole CiRole(string id, string name, string description, DataAwsIamPolicyDocument trust) =>
        new(this, id, new IamRoleConfig
        {
            Name = name,
            Description = description,
            AssumeRolePolicy = trust.Json,
            MaxSessionDuration = 3600,
        });

    private void Output(string name, string value, string description) =>
        new TerraformOutput(this, name, new TerraformOutputConfig { Value = value, Description = description });

    private static List<IDataAwsIamPolicyDocumentStatement> StateStatements(EnvironmentConfig env, CustomerManagedKey key, SecureBucket bucket, bool write)
    {
        var stateKey = env.StateBackend.KeyFor(env.Name);
        var table = Arn.DynamoDbTable(env.StateBackend.Region, env.AccountId, env.StateBackend.LockTable);
        return
        [
            Policy.Allow("ListStateBucket", ["s3:ListBucket"], [bucket.Arn]),
            Policy.Allow(write ? "ReadWriteState" : "ReadState",
                write ? ["s3:GetObject", "s3:PutObject"] : ["s3:GetObject"], [$"{bucket.Arn}/{stateKey}"]),
            Policy.Allow("S3NativeLockFile", ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], [$"{bucket.Arn}/{stateKey}.tflock"]),
            Policy.Allow("DynamoDbLock", ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"], [table]),
            Policy.Allow("StateKey", ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"], [key.Arn]),
        ];
    }

    private static List<IDataAwsIamPolicyDocumentStatement> ProjectIamStatements(EnvironmentConfig env, string region)
    {
        var partition = Arn.Partition(region);
        var prefix = $"{Platform.Project}-{env.Name}-";
        string[] projectRoles = [$"arn:{partition}:iam::{env.AccountId}:role/{prefix}*"];
        string[] projectPolicies = [$"arn:{partition}:iam::{env.AccountId}:policy/{prefix}*"];
        return
        [
            Policy.Allow("ManageProjectRoles",
            [
                "iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:UpdateRole", "iam:UpdateRoleDescription",
                "iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:UntagRole", "iam:ListRoleTags",
                "iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy", "iam:ListRolePolicies",
                "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:ListAttachedRolePolicies",
                "iam:ListInstanceProfilesForRole",
            ], projectRoles),
            Policy.Allow("ManageProjectPolicies",
            [
                "iam:CreatePolicy", "iam:DeletePolicy", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions",
                "iam:CreatePolicyVersion", "iam:DeletePolicyVersion", "iam:TagPolicy", "iam:UntagPolicy",
            ], projectPolicies),
            Policy.Allow("PassProjectRolesToPlatformServices", ["iam:PassRole"], projectRoles,
                conditions: [Policy.When("StringEquals", "iam:PassedToService",
                    "sagemaker.amazonaws.com", "glue.amazonaws.com", "states.amazonaws.com", "lambda.amazonaws.com",
                    "scheduler.amazonaws.com", "events.amazonaws.com", "vpc-flow-logs.amazonaws.com")]),
            Policy.Allow("CreateServiceLinkedRolesForPlatformServices", ["iam:CreateServiceLinkedRole"],
                [$"arn:{partition}:iam::{env.AccountId}:role/aws-service-role/*"],
                conditions: [Policy.When("StringEquals", "iam:AWSServiceName",
                    "sagemaker.amazonaws.com", "sagemaker.application-autoscaling.amazonaws.com")]),
        ];
    }
}
