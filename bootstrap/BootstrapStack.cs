using MlopsTf.Environments;

namespace MlopsTf.Bootstrap;

/// <summary>Props for <see cref="BootstrapStack"/>.</summary>
public sealed record BootstrapStackProps
{
    /// <summary>The environment whose account and state backend this stack prepares.</summary>
    public required EnvironmentConfig Environment { get; init; }

    /// <summary>The only repository whose GitHub Actions may assume the CI roles.</summary>
    public required GitHubRepository GitHub { get; init; }

    /// <summary>
    /// Objects (<c>bucket/key</c>, <c>*</c> allowed in the key) that the environment stack manages as
    /// <c>aws_s3_object</c>: <c>terraform plan</c> reads them back (HeadObject needs <c>s3:GetObject</c>), so the plan
    /// role may read them, besides the state and its lock file, and no other object.
    /// Default: the Glue scripts in the environment's artifacts bucket,
    /// <c>mlopstf-&lt;env&gt;-artifacts-&lt;account&gt;/glue/scripts/*</c>, and the upload page's files where the
    /// environment has one.
    /// </summary>
    public IReadOnlyList<string>? PlanReadableObjects { get; init; }
}

/// <summary>
/// One-time, per-account resources that the environment stacks stand on: the state bucket (and its access-log
/// bucket), the lock table, the KMS key that encrypts both, the account's audit trail, the GitHub OIDC provider and
/// the CI plan and apply roles.
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

    /// <summary>The account's audit trail (CloudTrail, every Region, to a locked bucket).</summary>
    public AuditTrail AuditTrail { get; }

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
        var context = Platform.ContextOf(env, region);
        context.ApplyTo(this);
        StackDefaults.AwsProvider(this, env, region, "bootstrap");
        StackDefaults.PinAwsProvider(this);
        // The stack keeps its state in the bucket it creates. The first apply, before that bucket exists, runs with a
        // local-backend override and then migrates (scripts/bootstrap.sh, bootstrap/README.md).
        StackDefaults.StateBackend(this, env, StateKey);

        var key = new CustomerManagedKey(this, "state-key", new CustomerManagedKeyProps
        {
            Alias = backend.KmsKeyAlias,
            Description = $"Encrypts the Terraform state and lock table of {Platform.Project} {env.Name}",
        });
        var logs = new SecureBucket(this, "state-access-logs", new SecureBucketProps
        {
            BucketName = $"{backend.Bucket}-access-logs",
            UseS3ManagedEncryptionForLogDelivery = true,
            ReceivesAccessLogs = true,
            ExpireObjectsAfterDays = 365,
        });
        StateBucket = new SecureBucket(this, "state-bucket", new SecureBucketProps
        {
            BucketName = backend.Bucket,
            EncryptionKey = key,
            AccessLogBucket = logs,
            PreventDestroy = true,
            NoncurrentVersionExpirationDays = 90,
        });
        AuditTrail = new AuditTrail(this, "audit-trail", new AuditTrailProps { AccessLogBucket = logs });
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
        if (env.Name.EndsWith(GitHubActionsOidc.PlanEnvironmentSuffix, StringComparison.Ordinal))
            throw new ArgumentException($"environment name '{env.Name}' ends with '{GitHubActionsOidc.PlanEnvironmentSuffix}', the suffix of the GitHub environments that plan jobs run in, so its apply environment would be another environment's plan environment; rename it");
        var planTrust = GitHubTrust("github-plan-trust", oidc, "GitHubActionsPlanEnvironmentOnly", "StringLike",
            GitHubActionsOidc.PlanSubjectPattern(props.GitHub, env.Name));
        var applyTrust = GitHubTrust("github-apply-trust", oidc, "GitHubActionsDeployWorkflowsOnMainOnly", "StringEquals",
            [.. GitHubActionsOidc.ApplySubjects(props.GitHub, env.Name)]);

        var stateRead = StateStatements(env, key, StateBucket, write: false);
        var stateWrite = StateStatements(env, key, StateBucket, write: true);

        PlanRole = CiRole("plan-role", Platform.CiRoleName(context, "plan"),
            $"GitHub Actions plans for {props.GitHub} in GitHub environment {GitHubActionsOidc.PlanEnvironment(env.Name)}: read-only without data reads, plus state read and locking", planTrust);
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
        var stateObject = $"{StateBucket.Arn}/{backend.KeyFor(env.Name)}";
        var readableObjects = (props.PlanReadableObjects ?? [$"{MlopsStack.BucketName(env, "artifacts")}/{DataLayout.Artifacts.Glue}scripts/*",
                .. env.Serving.Frontend is null ? [] : StaticSite.ObjectKeys(SourcePaths.Frontend).Select(k => $"{MlopsStack.BucketName(env, "frontend")}/{k}")])
            .Select(context.BucketArn);
        new IamRolePolicy(this, "plan-role-no-data-reads", new IamRolePolicyConfig
        {
            Name = "deny-data-reads",
            Role = PlanRole.Id,
            Policy = Policy.Document(this, "plan-data-deny-policy", PlanDataReadDenies(
                [stateObject, $"{stateObject}.tflock", .. readableObjects],
                Arn.DynamoDbTable(region, env.AccountId, backend.LockTable), key.Arn,
                [context.ServiceArn("ssm", $"parameter{MlopsStack.ParameterPath(env)}/*")])).Json,
        });

        ApplyRole = CiRole("apply-role", Platform.CiRoleName(context, "apply"),
            $"GitHub Actions applies for {props.GitHub} environment {env.Name} from {GitHubActionsOidc.DeployRef} only: PowerUser plus project-scoped IAM", applyTrust);
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
            Policy = Policy.Document(this, "apply-iam-policy", [.. ProjectIamStatements(context)]).Json,
        });

        new IamRolePolicy(this, "apply-role-audit", new IamRolePolicyConfig
        {
            Name = "deny-audit-trail-tampering",
            Role = ApplyRole.Id,
            Policy = Policy.Document(this, "apply-audit-deny-policy", AuditTrail.TamperDenies()).Json,
        });

        Output("state_bucket_name", StateBucket.Name, "Name of the Terraform state bucket");
        Output("lock_table_name", LockTable.Name, "Name of the DynamoDB lock table");
        Output("state_kms_key_arn", key.Arn, "ARN of the KMS key that encrypts state and locks");
        Output("audit_trail_arn", AuditTrail.Arn, "ARN of the account's CloudTrail trail (every Region, log file validation)");
        Output("audit_bucket_name", AuditTrail.Bucket.Name, "Bucket with Object Lock that holds the trail's log and digest files");
        Output("github_oidc_provider_arn", oidc.Arn, "ARN of the GitHub Actions OIDC provider");
        Output("plan_role_arn", PlanRole.Arn, "Role that pull-request workflows assume to plan");
        Output("apply_role_arn", ApplyRole.Arn, "Role that the deploy workflow assumes to apply");
        Output("github_plan_environment", GitHubActionsOidc.PlanEnvironment(env.Name), "GitHub environment that plan jobs run in (holds PLAN_ROLE_ARN)");
        Output("github_oidc_subject_template", GitHubActionsOidc.SubjectTemplateRequest(), "Body of PUT repos/OWNER/REPO/actions/oidc/customization/sub that the trust policies expect");
    }

    private DataAwsIamPolicyDocument GitHubTrust(string id, IamOpenidConnectProvider oidc, string sid, string subjectTest, params string[] subjects) =>
        Policy.Document(this, id, new DataAwsIamPolicyDocumentStatement
        {
            Sid = sid,
            Effect = "Allow",
            Actions = ["sts:AssumeRoleWithWebIdentity"],
            Principals = Policy.Principal("Federated", oidc.Arn),
            Condition = new IDataAwsIamPolicyDocumentStatementCondition[]
            {
                Policy.When("StringEquals", "token.actions.githubusercontent.com:aud", "sts.amazonaws.com"),
                Policy.When(subjectTest, "token.actions.githubusercontent.com:sub", subjects),
            },
        });

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
            key.Allow("StateKey", KeyUse.EncryptDecrypt),
        ];
    }

    /// <summary>
    /// Object reads that <c>ReadOnlyAccess</c> grants through <c>s3:Get*</c> and <c>s3-object-lambda:Get*</c>
    /// (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/ReadOnlyAccess.html): the plan role may do them
    /// only on the state, its lock file and the objects the environment stack manages.
    /// </summary>
    public static readonly string[] ObjectDataReads =
    [
        "s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTorrent", "s3:GetObjectVersionTorrent",
        "s3:GetObjectVersionForReplication", "s3-object-lambda:GetObject", "s3-object-lambda:GetObjectVersion",
    ];

    /// <summary>Item reads that <c>ReadOnlyAccess</c> grants (<c>dynamodb:Get*</c>, <c>BatchGet*</c>, <c>Query</c>, <c>Scan</c>, <c>PartiQLSelect</c>); only the lock table stays readable.</summary>
    public static readonly string[] ItemDataReads =
        ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:PartiQLSelect", "dynamodb:GetRecords"];

    /// <summary>
    /// Reads of data, not configuration, that <c>ReadOnlyAccess</c> grants or could grant in the services the platform
    /// keeps data in, denied everywhere: messages (<c>sqs:Receive*</c>), stream records (<c>kinesis:Get*</c>), feature
    /// records, log events and queries (<c>logs:Get*</c>, <c>FilterLogEvents</c>, <c>StartQuery</c>), query results
    /// (<c>athena:Get*</c>), secrets, execution input and output
    /// (<c>states:Describe*</c>, <c>GetExecutionHistory</c>), image layers (<c>ecr:Get*</c>, <c>BatchGet*</c>),
    /// DAX items, archive retrievals (<c>glacier:Get*</c>) and database log files (<c>rds:Download*</c>).
    /// </summary>
    public static readonly string[] OtherDataReads =
    [
        "sqs:ReceiveMessage", "kinesis:GetRecords", "sagemaker:GetRecord", "sagemaker:BatchGetRecord",
        "logs:GetLogEvents", "logs:FilterLogEvents", "logs:GetLogRecord", "logs:StartQuery", "logs:GetQueryResults",
        "logs:StartLiveTail", "logs:Unmask", "athena:GetQueryResults", "athena:GetQueryResultsStream",
        "secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue",
        "states:DescribeExecution", "states:GetExecutionHistory", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage",
        "dax:GetItem", "dax:BatchGetItem", "dax:Query", "dax:Scan", "glacier:GetJobOutput",
        "rds:DownloadDBLogFilePortion", "rds:DownloadCompleteDBLogFile",
    ];

    /// <summary>Parameter reads that <c>ReadOnlyAccess</c> grants (<c>ssm:Get*</c>); only the environment's platform parameters stay readable (Terraform reads them back).</summary>
    public static readonly string[] ParameterDataReads =
        ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParameterHistory"];

    private static IDataAwsIamPolicyDocumentStatement[] PlanDataReadDenies(string[] readableObjects, string lockTable, string stateKey, string[] readableParameters) =>
    [
        new DataAwsIamPolicyDocumentStatement
        {
            Sid = "DenyParameterReadsExceptPlatformParameters", Effect = "Deny", Actions = ParameterDataReads, NotResources = readableParameters,
        },
        new DataAwsIamPolicyDocumentStatement
        {
            Sid = "DenyObjectReadsExceptStateAndManagedObjects", Effect = "Deny", Actions = ObjectDataReads, NotResources = readableObjects,
        },
        new DataAwsIamPolicyDocumentStatement
        {
            Sid = "DenyItemReadsExceptLockTable", Effect = "Deny", Actions = ItemDataReads, NotResources = [lockTable],
        },
        new DataAwsIamPolicyDocumentStatement
        {
            Sid = "DenyDecryptExceptStateKey", Effect = "Deny", Actions = KeyActions.For(KeyUse.DecryptData), NotResources = [stateKey],
        },
        new DataAwsIamPolicyDocumentStatement
        {
            Sid = "DenyDataReads", Effect = "Deny", Actions = OtherDataReads, Resources = ["*"],
        },
    ];

    /// <summary>IAM actions the apply role may never take on the CI roles themselves.</summary>
    public static readonly string[] CiRoleChanges =
    [
        "iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy", "iam:TagRole",
        "iam:UntagRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy",
        "iam:PutRolePermissionsBoundary", "iam:DeleteRolePermissionsBoundary",
    ];

    private static List<IDataAwsIamPolicyDocumentStatement> ProjectIamStatements(StackContext context)
    {
        string[] projectRoles = [context.IamArn($"role/{context.Name("*")}")];
        string[] projectPolicies = [context.IamArn($"policy/{context.Name("*")}")];
        return
        [
            Policy.Allow("ManageProjectRoles",
            [
                "iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:UpdateRole", "iam:UpdateRoleDescription",
                "iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:UntagRole", "iam:ListRoleTags",
                "iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy", "iam:ListRolePolicies",
                "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole",
            ], projectRoles),
            // Only the project's own managed policies: attaching AdministratorAccess to a project role and passing
            // that role to Lambda would otherwise make the apply role an administrator.
            Policy.Allow("AttachProjectPoliciesToProjectRoles", ["iam:AttachRolePolicy", "iam:DetachRolePolicy"], projectRoles,
                conditions: [Policy.When("ArnLike", "iam:PolicyARN", projectPolicies)]),
            // The CI roles share the project prefix but are the bootstrap's: changing their trust or policies from
            // CI would undo the plan/apply split (a pull request could then assume the apply role).
            new DataAwsIamPolicyDocumentStatement
            {
                Sid = "DenyChangesToCiRoles", Effect = "Deny", Actions = CiRoleChanges,
                Resources = [context.IamArn($"role/{Platform.CiRoleName(context, "*")}")],
            },
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
                [context.IamArn("role/aws-service-role/*")],
                conditions: [Policy.When("StringEquals", "iam:AWSServiceName",
                    "sagemaker.amazonaws.com", "sagemaker.application-autoscaling.amazonaws.com")]),
        ];
    }
}
