namespace MlopsTf.Environments;

/// <summary>
/// Checks environment configurations before any stack is built. Every rule runs; the caller gets every problem at once.
/// </summary>
public static partial class EnvironmentValidator
{
    /// <summary>Retention periods CloudWatch Logs accepts, in days.</summary>
    public static IReadOnlyList<int> CloudWatchRetentionDays => EncryptedLogGroup.AllowedRetentionDays;

    /// <summary>Tag keys the platform sets itself through default tags.</summary>
    public static readonly IReadOnlySet<string> ReservedTagKeys = new HashSet<string> { "Project", "Environment", "ManagedBy" };

    /// <summary>Throws <see cref="InvalidConfigurationException"/> listing every problem, if there is any.</summary>
    public static void EnsureValid(IReadOnlyList<EnvironmentConfig> environments)
    {
        var errors = Validate(environments);
        if (errors.Count > 0) throw new InvalidConfigurationException(errors);
    }

    /// <summary>All problems in <paramref name="environments"/>, each environment's first, then those across environments.</summary>
    public static IReadOnlyList<ConfigError> Validate(IReadOnlyList<EnvironmentConfig> environments)
    {
        var errors = new List<ConfigError>();
        if (environments.Count == 0)
            errors.Add(new("*", "Environments", "(none)", "no environment is defined", "list at least one environment in Platform.Environments"));
        foreach (var env in environments) ValidateOne(env, errors);
        ValidateAcross(environments, errors);
        return errors;
    }

    private static void ValidateOne(EnvironmentConfig env, List<ConfigError> errors)
    {
        void Error(string field, object? value, string problem, string fix) =>
            errors.Add(new(env.Name, field, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "(null)", problem, fix));

        if (!NamePattern().IsMatch(env.Name))
            Error("Name", env.Name, "must be 2-16 lower-case letters, digits or '-', starting with a letter", "use a short name such as dev, staging or prod");

        if (!AccountIdPattern().IsMatch(env.AccountId))
            Error("AccountId", env.AccountId, "is not a 12-digit AWS account id", "use the 12 digits shown in the AWS console, e.g. 111122223333");

        var regionKnown = AwsRegions.Known.Contains(env.Region);
        if (!regionKnown)
            Error("Region", env.Region, "is not a known AWS region with SageMaker", "use a region code such as us-east-1 or eu-west-1");

        ValidateZones(env, regionKnown, Error);
        ValidateVpcCidr(env, Error);

        var sm = env.SageMaker;
        if (sm.AllowedInstanceTypes.Count == 0)
            Error("SageMaker.AllowedInstanceTypes", "[]", "the instance-type allow-list is empty", "list the instance types this environment may use, e.g. ml.m5.large");
        foreach (var type in sm.AllowedInstanceTypes.Where(t => !InstanceTypePattern().IsMatch(t)))
            Error("SageMaker.AllowedInstanceTypes", type, "is not a SageMaker instance type", "use the ml.<family>.<size> form, e.g. ml.m5.xlarge");
        foreach (var type in sm.AllowedInstanceTypes.Where(t => InstanceTypePattern().IsMatch(t) && Constructs.SageMaker.InstanceTypes.Find(t) is null))
            Error("SageMaker.AllowedInstanceTypes", type, "is not in the platform's instance-type table (vCPUs, instance storage and uses are needed for alarms and checks)",
                "use a type listed in constructs/SageMaker/InstanceTypes.cs, or add it there with its facts");
        foreach (var type in sm.AllowedInstanceTypes.GroupBy(t => t).Where(g => g.Count() > 1).Select(g => g.Key))
            Error("SageMaker.AllowedInstanceTypes", type, "is listed more than once", "list each instance type once");
        if (sm.MaxInstanceCount is < 1 or > 100)
            Error("SageMaker.MaxInstanceCount", sm.MaxInstanceCount, "must be between 1 and 100", "set the largest instance count a job or variant may use");

        if (!CloudWatchRetentionDays.Contains(env.LogRetentionDays))
            Error("LogRetentionDays", env.LogRetentionDays, "is not a retention period CloudWatch Logs accepts",
                $"use one of {string.Join(", ", CloudWatchRetentionDays)}");

        var alarms = env.Alarms;
        if (alarms.ModelLatencyP95Ms <= 0)
            Error("Alarms.ModelLatencyP95Ms", alarms.ModelLatencyP95Ms, "must be positive", "set the p95 latency threshold in milliseconds, e.g. 500");
        if (alarms.ErrorRatePercent is <= 0 or > 100 || double.IsNaN(alarms.ErrorRatePercent))
            Error("Alarms.ErrorRatePercent", alarms.ErrorRatePercent, "must be above 0 and at most 100", "set a percentage such as 1");
        if (alarms.DeadLetterQueueDepth < 1)
            Error("Alarms.DeadLetterQueueDepth", alarms.DeadLetterQueueDepth, "must be at least 1", "alarm on the first message, i.e. 1");
        if (alarms.MonthlyBudgetUsd <= 0)
            Error("Alarms.MonthlyBudgetUsd", alarms.MonthlyBudgetUsd, "must be positive", "set the monthly budget in USD");

        foreach (var email in env.AlertEmails.Where(e => !EmailPattern().IsMatch(e)))
            Error("AlertEmails", email, "is not an e-mail address", "use name@example.com form");

        if (env.AllowForceDestroy && env.DeletionProtection)
            Error("AllowForceDestroy", true, "contradicts DeletionProtection = true", "turn off AllowForceDestroy, or DeletionProtection for a throw-away environment");

        foreach (var (tagKey, value) in env.Tags)
        {
            if (ReservedTagKeys.Contains(tagKey))
                Error($"Tags[{tagKey}]", value, "is set by the platform itself", "remove it; Project, Environment and ManagedBy are added to every resource");
            else if (tagKey.StartsWith("aws:", StringComparison.OrdinalIgnoreCase) || tagKey.Length is 0 or > 128)
                Error($"Tags[{tagKey}]", value, "tag keys must be 1-128 characters and must not start with aws:", "rename the tag key");
            else if (value.Length > 256)
                Error($"Tags[{tagKey}]", value, "tag values must be at most 256 characters", "shorten the value");
        }

        MlConfigValidator.Validate(env, Error);
        ServingConfigValidator.Validate(env, Error);

        var sb = env.StateBackend;
        if (!BucketPattern().IsMatch(sb.Bucket) || sb.Bucket.Contains("..", StringComparison.Ordinal))
            Error("StateBackend.Bucket", sb.Bucket, "is not a valid S3 bucket name", "use 3-63 lower-case letters, digits, '-' or '.', starting and ending with a letter or digit");
        else if (sb.Bucket.Length > 51)
            Error("StateBackend.Bucket", sb.Bucket, $"is {sb.Bucket.Length} characters; the bootstrap names its access-log bucket <bucket>-access-logs, which must fit in 63", "use a bucket name of at most 51 characters");
        if (!TableNamePattern().IsMatch(sb.LockTable))
            Error("StateBackend.LockTable", sb.LockTable, "is not a valid DynamoDB table name", "use 3-255 letters, digits, '_', '-' or '.'");
        if (!AwsRegions.Known.Contains(sb.Region))
            Error("StateBackend.Region", sb.Region, "is not a known AWS region", "use the region of the state bucket, e.g. us-east-1");
        if (!KmsAliasPattern().IsMatch(sb.KmsKeyAlias))
            Error("StateBackend.KmsKeyAlias", sb.KmsKeyAlias, "is not a valid KMS alias name (without alias/)", "use letters, digits, '/', '_' or '-', not starting with aws");
        var key = sb.KeyFor(env.Name);
        if (key.Length == 0 || key.StartsWith('/') || !key.EndsWith(".tfstate", StringComparison.Ordinal))
            Error("StateBackend.Key", key, "must be a relative object key ending in .tfstate", "leave it null for envs/<env>/terraform.tfstate");
        else if (key.StartsWith("bootstrap/", StringComparison.Ordinal))
            Error("StateBackend.Key", key, "is under bootstrap/, where the bootstrap stack keeps its own state", "leave it null for envs/<env>/terraform.tfstate");
    }

    private static void ValidateZones(EnvironmentConfig env, bool regionKnown, Action<string, object?, string, string> error)
    {
        if (env.AvailabilityZones.Count is < 2 or > 3)
            error("AvailabilityZones", string.Join(",", env.AvailabilityZones), "two or three availability zones are required",
                $"list two or three zones of {env.Region}, e.g. {env.Region}a, {env.Region}b, {env.Region}c");
        foreach (var az in env.AvailabilityZones)
        {
            if (regionKnown && !(az.Length == env.Region.Length + 1 && az.StartsWith(env.Region, StringComparison.Ordinal) && char.IsAsciiLetterLower(az[^1])))
                error("AvailabilityZones", az, $"is not an availability zone of {env.Region}", $"use {env.Region} followed by a zone letter, e.g. {env.Region}a");
        }
        foreach (var az in env.AvailabilityZones.GroupBy(a => a).Where(g => g.Count() > 1).Select(g => g.Key))
            error("AvailabilityZones", az, "is listed more than once", "list each zone once");
    }

    private static void ValidateVpcCidr(EnvironmentConfig env, Action<string, object?, string, string> error)
    {
        if (!Ipv4Cidr.TryParse(env.VpcCidr, out var cidr, out var reason))
        {
            error("VpcCidr", env.VpcCidr, $"is not a valid IPv4 CIDR ({reason})", "use a private network such as 10.10.0.0/16");
            return;
        }
        if (cidr.PrefixLength is < 16 or > 20)
            error("VpcCidr", env.VpcCidr, "the VPC must be a /16 to /20 network", "AWS allows /16 at most; /20 is the smallest that fits the subnet plan");
        var isPrivate = Ipv4Cidr.Parse("10.0.0.0/8").Contains(cidr) || Ipv4Cidr.Parse("172.16.0.0/12").Contains(cidr)
            || Ipv4Cidr.Parse("192.168.0.0/16").Contains(cidr);
        if (!isPrivate)
            error("VpcCidr", env.VpcCidr, "is not inside an RFC 1918 private range", "use a block inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16");
    }

    private static void ValidateAcross(IReadOnlyList<EnvironmentConfig> environments, List<ConfigError> errors)
    {
        foreach (var group in environments.GroupBy(e => e.Name).Where(g => g.Count() > 1))
            errors.Add(new("*", "Name", group.Key, "is used by more than one environment", "give every environment its own name"));

        foreach (var group in environments.GroupBy(e => (e.StateBackend.Bucket, Key: e.StateBackend.KeyFor(e.Name))).Where(g => g.Count() > 1))
            errors.Add(new("*", "StateBackend.Key", $"s3://{group.Key.Bucket}/{group.Key.Key}",
                $"is shared by {string.Join(" and ", group.Select(e => e.Name))}; their states would overwrite each other",
                "give each environment its own state key (the default envs/<env>/terraform.tfstate is unique)"));

        foreach (var group in environments.GroupBy(e => e.AccountId).Where(g => g.Count() > 1))
            errors.Add(new("*", "AccountId", group.Key,
                $"is used by {string.Join(" and ", group.Select(e => e.Name))}; each bootstrap stack creates the account's GitHub OIDC provider, which exists once per account",
                "give each environment its own AWS account (the recommended multi-account layout)"));

        var parsed = environments
            .Select(e => (Env: e, Ok: Ipv4Cidr.TryParse(e.VpcCidr, out var c, out _), Cidr: c))
            .Where(x => x.Ok).ToList();
        for (var i = 0; i < parsed.Count; i++)
        for (var j = i + 1; j < parsed.Count; j++)
        {
            if (parsed[i].Cidr.Overlaps(parsed[j].Cidr))
                errors.Add(new(parsed[j].Env.Name, "VpcCidr", parsed[j].Env.VpcCidr,
                    $"overlaps {parsed[i].Env.Name}'s {parsed[i].Env.VpcCidr}; overlapping VPCs cannot be peered or routed through a transit gateway",
                    "give every environment a disjoint block, e.g. 10.10.0.0/16, 10.20.0.0/16, 10.30.0.0/16"));
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{1,15}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^\d{12}$")]
    private static partial Regex AccountIdPattern();

    [GeneratedRegex(@"^ml\.[a-z0-9-]+\.[a-z0-9]+$")]
    private static partial Regex InstanceTypePattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[a-zA-Z]{2,}$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketPattern();

    [GeneratedRegex(@"^[a-zA-Z0-9_.-]{3,255}$")]
    private static partial Regex TableNamePattern();

    [GeneratedRegex(@"^(?!aws/)[a-zA-Z0-9/_-]{1,250}$")]
    private static partial Regex KmsAliasPattern();
}
