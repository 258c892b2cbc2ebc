namespace MlopsTf.Constructs.Lambda;

/// <summary>Props for <see cref="PythonFunction"/>.</summary>
public sealed record PythonFunctionProps
{
    /// <summary>Function name; also the name of its role.</summary>
    public required string FunctionName { get; init; }

    /// <summary>What the function does.</summary>
    public required string Description { get; init; }

    /// <summary>Directory with the handler source, packaged as a zip asset at synth time.</summary>
    public required string SourceDirectory { get; init; }

    /// <summary>Handler, <c>module.function</c>.</summary>
    public required string Handler { get; init; }

    /// <summary>Private subnets the function runs in.</summary>
    public required string[] SubnetIds { get; init; }

    /// <summary>Security groups of the function.</summary>
    public required string[] SecurityGroupIds { get; init; }

    /// <summary>Key for environment variables and the dead-letter queue.</summary>
    public required CustomerManagedKey DataKey { get; init; }

    /// <summary>Key for the log group.</summary>
    public required CustomerManagedKey LogsKey { get; init; }

    /// <summary>Log retention in days.</summary>
    public required int LogRetentionDays { get; init; }

    /// <summary>Concurrent executions reserved for (and capping) the function; 1 or more.</summary>
    public required int ReservedConcurrency { get; init; }

    /// <summary>Runtime. Default: python3.12.</summary>
    public string Runtime { get; init; } = "python3.12";

    /// <summary>Memory in MB. Default: 256.</summary>
    public int MemoryMb { get; init; } = 256;

    /// <summary>Timeout in seconds. Default: 60.</summary>
    public int TimeoutSeconds { get; init; } = 60;

    /// <summary>Environment variables (encrypted with <see cref="DataKey"/>). Never put secrets here. Default: none.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// A Python Lambda function packaged from the repository: in the VPC, with its own role, a KMS-encrypted SQS
/// dead-letter queue, reserved concurrency, active X-Ray tracing, KMS-encrypted environment variables and a
/// KMS-encrypted log group with retention that exists before the function does.
/// </summary>
public sealed class PythonFunction : Construct
{
    /// <summary>Runtimes this construct accepts (supported by Lambda, not deprecated).</summary>
    public static readonly IReadOnlySet<string> SupportedRuntimes = new HashSet<string> { "python3.11", "python3.12", "python3.13" };

    /// <summary>Fragments of environment-variable names that suggest a secret.</summary>
    public static readonly IReadOnlyList<string> SecretLikeNames = ["SECRET", "PASSWORD", "TOKEN", "PRIVATE_KEY", "ACCESS_KEY"];

    /// <summary>The function resource.</summary>
    public LambdaFunction Function { get; }

    /// <summary>The function's own role.</summary>
    public ServiceRole Role { get; }

    /// <summary>The dead-letter queue.</summary>
    public SqsQueue DeadLetterQueue { get; }

    /// <summary>The function's log group.</summary>
    public EncryptedLogGroup LogGroup { get; }

    /// <summary>Function name (a token until synth).</summary>
    public string Name => Function.FunctionName;

    /// <summary>The function name as configured (a plain string, usable in other names).</summary>
    public string ConfiguredName { get; }

    /// <summary>Function ARN.</summary>
    public string Arn => field ??= Function.Arn;

    /// <summary>Invoking the function; with <paramref name="qualified"/> also its versions and aliases (<c>&lt;arn&gt;:*</c>).</summary>
    public IDataAwsIamPolicyDocumentStatement InvokeStatement(string sid, bool qualified = false) =>
        Policy.Allow(sid, ["lambda:InvokeFunction"], qualified ? [Arn, $"{Arn}:*"] : [Arn]);

    /// <summary>Lets <paramref name="grantee"/> invoke the function, in an inline policy named <paramref name="policyName"/>.</summary>
    public void GrantInvoke(IGrantable grantee, string policyName, string sid) => grantee.AddPolicy(policyName, InvokeStatement(sid));

    /// <summary>Creates the function and everything it needs.</summary>
    public PythonFunction(Construct scope, string id, PythonFunctionProps props) : base(scope, id)
    {
        Validate(props);
        var name = props.FunctionName;
        ConfiguredName = name;
        LogGroup = new EncryptedLogGroup(this, "logs", new EncryptedLogGroupProps
        {
            LogGroupName = $"/aws/lambda/{name}",
            EncryptionKey = props.LogsKey,
            RetentionInDays = props.LogRetentionDays,
        });
        DeadLetterQueue = new SqsQueue(this, "dead-letter-queue", new SqsQueueConfig
        {
            Name = $"{name}-dlq",
            KmsMasterKeyId = props.DataKey.Arn,
            KmsDataKeyReusePeriodSeconds = 300,
            MessageRetentionSeconds = 1_209_600,
        });
        Role = new ServiceRole(this, "role", new ServiceRoleProps
        {
            RoleName = name,
            Service = "lambda.amazonaws.com",
            Description = $"Execution role of the {name} function",
        });
        Role.AddPolicy("runtime",
            Policy.Allow("WriteOwnLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], [$"{LogGroup.Arn}:*"]),
            Policy.Allow("SendToDeadLetterQueue", ["sqs:SendMessage"], [DeadLetterQueue.Arn]),
            props.DataKey.Allow("UseDataKey", KeyUse.Envelope),
            // ENI management and X-Ray writes have no resource-level permissions.
            Policy.Allow("VpcNetworkInterfaces",
                ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface",
                 "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"], ["*"]),
            Policy.Allow("XRayTraces", ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], ["*"]));

        var (zip, hash) = SourceArchive.Package(props.SourceDirectory);
        var code = new TerraformAsset(this, "code", new TerraformAssetConfig { Path = zip, Type = AssetType.FILE, AssetHash = hash });
        Function = new LambdaFunction(this, "function", new LambdaFunctionConfig
        {
            FunctionName = name,
            Description = props.Description,
            Role = Role.Arn,
            Runtime = props.Runtime,
            Handler = props.Handler,
            Filename = code.Path,
            SourceCodeHash = Fn.Filebase64sha256(code.Path),
            MemorySize = props.MemoryMb,
            Timeout = props.TimeoutSeconds,
            ReservedConcurrentExecutions = props.ReservedConcurrency,
            KmsKeyArn = props.DataKey.Arn,
            Environment = props.Environment.Count > 0 ? new LambdaFunctionEnvironment { Variables = new Dictionary<string, string>(props.Environment) } : null,
            VpcConfig = new LambdaFunctionVpcConfig { SubnetIds = props.SubnetIds, SecurityGroupIds = props.SecurityGroupIds },
            DeadLetterConfig = new LambdaFunctionDeadLetterConfig { TargetArn = DeadLetterQueue.Arn },
            TracingConfig = new LambdaFunctionTracingConfig { Mode = "Active" },
            LoggingConfig = new LambdaFunctionLoggingConfig { LogFormat = "JSON", LogGroup = LogGroup.Name },
            DependsOn = [LogGroup.LogGroup],
        });
    }

    private static void Validate(PythonFunctionProps p)
    {
        if (!SupportedRuntimes.Contains(p.Runtime))
            throw new ArgumentException($"PythonFunctionProps.Runtime = \"{p.Runtime}\" for {p.FunctionName}: use one of {string.Join(", ", SupportedRuntimes.Order())}.");
        if (p.ReservedConcurrency < 1)
            throw new ArgumentException($"PythonFunctionProps.ReservedConcurrency = {p.ReservedConcurrency} for {p.FunctionName}: reserve at least 1 (0 would disable the function).");
        if (p.SubnetIds.Length == 0 || p.SecurityGroupIds.Length == 0)
            throw new ArgumentException($"PythonFunctionProps.SubnetIds/SecurityGroupIds for {p.FunctionName} are empty: the function runs in the VPC; pass the private subnets and its security group.");
        if (!Directory.Exists(p.SourceDirectory))
            throw new ArgumentException($"PythonFunctionProps.SourceDirectory = \"{p.SourceDirectory}\" for {p.FunctionName} does not exist: point it at the handler's folder under functions/.");
        if (p.MemoryMb is < 128 or > 10240)
            throw new ArgumentException($"PythonFunctionProps.MemoryMb = {p.MemoryMb} for {p.FunctionName}: Lambda accepts 128 to 10240 MB.");
        if (p.TimeoutSeconds is < 1 or > 900)
            throw new ArgumentException($"PythonFunctionProps.TimeoutSeconds = {p.TimeoutSeconds} for {p.FunctionName}: Lambda accepts 1 to 900 seconds.");
        foreach (var key in p.Environment.Keys.Where(k => SecretLikeNames.Any(s => k.Contains(s, StringComparison.OrdinalIgnoreCase))))
            throw new ArgumentException($"PythonFunctionProps.Environment[\"{key}\"] for {p.FunctionName} looks like a secret: keep secrets in Secrets Manager and pass the secret's ARN instead.");
    }
}
