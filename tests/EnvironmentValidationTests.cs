namespace MlopsTf.Tests;

public class EnvironmentValidationTests
{
    private static EnvironmentConfig Valid(string name = "dev", string account = "111122223333", string cidr = "10.10.0.0/16") => Dev.Config with
    {
        Name = name,
        AccountId = account,
        VpcCidr = cidr,
        StateBackend = Dev.Config.StateBackend with { Bucket = $"tfstate-{account}" },
    };

    private static ConfigError Single(params EnvironmentConfig[] envs)
    {
        var errors = EnvironmentValidator.Validate(envs);
        Assert.True(errors.Count == 1, $"expected exactly one error, got {errors.Count}:\n{string.Join("\n", errors)}");
        return errors[0];
    }

    [Fact]
    public void Shipped_environments_are_valid()
    {
        Assert.Empty(EnvironmentValidator.Validate(Platform.Environments));
        Assert.Equal(["dev", "staging", "prod"], Platform.Environments.Select(e => e.Name));
    }

    [Fact]
    public void Baseline_used_by_these_tests_is_valid() => Assert.Empty(EnvironmentValidator.Validate([Valid()]));

    [Theory]
    [InlineData("Dev")]
    [InlineData("d")]
    [InlineData("9env")]
    [InlineData("a-very-long-environment-name")]
    public void Name_must_be_short_lowercase(string name)
    {
        var e = Single(Valid() with { Name = name });
        Assert.Equal(("Name", name), (e.Field, e.Value));
        Assert.Contains("lower-case", e.Problem);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("11112222333a")]
    [InlineData("1111222233334")]
    public void AccountId_must_be_12_digits(string account)
    {
        var e = Single(Valid() with { AccountId = account });
        Assert.Equal("AccountId", e.Field);
        Assert.Equal($"[dev] AccountId = \"{account}\": is not a 12-digit AWS account id. Fix: use the 12 digits shown in the AWS console, e.g. 111122223333.", e.ToString());
    }

    [Fact]
    public void Region_must_be_known()
    {
        var errors = EnvironmentValidator.Validate([Valid() with { Region = "us-middle-1", AvailabilityZones = ["us-middle-1a", "us-middle-1b"] }]);
        var e = Assert.Single(errors);
        Assert.Equal(("Region", "us-middle-1"), (e.Field, e.Value));
        Assert.Contains("us-east-1", e.Fix);
    }

    [Fact]
    public void Availability_zone_must_belong_to_the_region()
    {
        var e = Single(Valid() with { AvailabilityZones = ["us-east-1a", "us-west-2b"] });
        Assert.Equal(("AvailabilityZones", "us-west-2b"), (e.Field, e.Value));
        Assert.Contains("is not an availability zone of us-east-1", e.Problem);
    }

    [Theory]
    [InlineData("us-east-1a")]
    [InlineData("us-east-1a,us-east-1b,us-east-1c,us-east-1d")]
    public void Two_or_three_availability_zones(string zones)
    {
        var e = Single(Valid() with { AvailabilityZones = zones.Split(',') });
        Assert.Equal(("AvailabilityZones", zones), (e.Field, e.Value));
        Assert.Contains("two or three", e.Problem);
    }

    [Fact]
    public void Availability_zones_are_distinct()
    {
        var e = Single(Valid() with { AvailabilityZones = ["us-east-1a", "us-east-1a"] });
        Assert.Equal(("AvailabilityZones", "us-east-1a"), (e.Field, e.Value));
        Assert.Contains("more than once", e.Problem);
    }

    [Theory]
    [InlineData("10.10.0.0", "a.b.c.d/n")]
    [InlineData("10.10.0.300/16", "not an IPv4 address")]
    [InlineData("10.10.0.0/33", "prefix length")]
    [InlineData("10.10.1.0/16", "host bits are set; the network address for /16 is 10.10.0.0")]
    public void VpcCidr_must_parse_as_a_network(string cidr, string reason)
    {
        var e = Single(Valid() with { VpcCidr = cidr });
        Assert.Equal(("VpcCidr", cidr), (e.Field, e.Value));
        Assert.Contains(reason, e.Problem);
    }

    [Theory]
    [InlineData("10.0.0.0/8")]
    [InlineData("10.10.0.0/24")]
    public void VpcCidr_size_is_between_16_and_20(string cidr)
    {
        var e = Single(Valid() with { VpcCidr = cidr });
        Assert.Contains("/16 to /20", e.Problem);
    }

    [Fact]
    public void VpcCidr_must_be_private()
    {
        var e = Single(Valid() with { VpcCidr = "52.10.0.0/16" });
        Assert.Contains("RFC 1918", e.Problem);
    }

    [Fact]
    public void VpcCidrs_must_not_overlap_across_environments()
    {
        var e = Single(Valid(), Valid("staging", "444455556666", "10.10.128.0/17"));
        Assert.Equal(("staging", "VpcCidr", "10.10.128.0/17"), (e.Environment, e.Field, e.Value));
        Assert.Contains("overlaps dev's 10.10.0.0/16", e.Problem);
    }

    [Fact]
    public void Instance_type_allow_list_must_not_be_empty()
    {
        var e = Single(Valid() with { SageMaker = new() { AllowedInstanceTypes = [] } });
        Assert.Equal("SageMaker.AllowedInstanceTypes", e.Field);
        Assert.Contains("empty", e.Problem);
    }

    [Fact]
    public void Instance_types_must_be_sagemaker_types()
    {
        var e = Single(Valid() with { SageMaker = new() { AllowedInstanceTypes = ["ml.m5.large", "m5.large"] } });
        Assert.Equal(("SageMaker.AllowedInstanceTypes", "m5.large"), (e.Field, e.Value));
        Assert.Contains("ml.<family>.<size>", e.Fix);
    }

    [Fact]
    public void Instance_types_are_not_repeated()
    {
        var e = Single(Valid() with { SageMaker = new() { AllowedInstanceTypes = ["ml.m5.large", "ml.m5.large"] } });
        Assert.Contains("more than once", e.Problem);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void Max_instance_count_is_bounded(int count)
    {
        var e = Single(Valid() with { SageMaker = new() { AllowedInstanceTypes = ["ml.m5.large"], MaxInstanceCount = count } });
        Assert.Equal(("SageMaker.MaxInstanceCount", count.ToString()), (e.Field, e.Value));
    }

    [Fact]
    public void Log_retention_must_be_a_cloudwatch_value()
    {
        var e = Single(Valid() with { LogRetentionDays = 45 });
        Assert.Equal(("LogRetentionDays", "45"), (e.Field, e.Value));
        Assert.Contains("30, 60, 90", e.Fix);
    }

    [Fact]
    public void Alarm_thresholds_must_be_positive()
    {
        var errors = EnvironmentValidator.Validate([Valid() with
        {
            Alarms = new() { ModelLatencyP95Ms = 0, ErrorRatePercent = 150, DeadLetterQueueDepth = 0, MonthlyBudgetUsd = -1 },
        }]);
        Assert.Equal(["Alarms.ModelLatencyP95Ms", "Alarms.ErrorRatePercent", "Alarms.DeadLetterQueueDepth", "Alarms.MonthlyBudgetUsd"],
            errors.Select(e => e.Field));
    }

    [Fact]
    public void Alert_emails_must_be_addresses()
    {
        var e = Single(Valid() with { AlertEmails = ["oncall-at-example.com"] });
        Assert.Equal(("AlertEmails", "oncall-at-example.com"), (e.Field, e.Value));
    }

    [Fact]
    public void Force_destroy_contradicts_deletion_protection()
    {
        var e = Single(Valid() with { AllowForceDestroy = true, DeletionProtection = true });
        Assert.Equal("AllowForceDestroy", e.Field);
        Assert.Contains("DeletionProtection", e.Problem);
    }

    [Theory]
    [InlineData("Environment", "must-not")]
    [InlineData("aws:owner", "x")]
    public void Tags_must_not_collide_with_platform_or_aws_tags(string key, string value)
    {
        var e = Single(Valid() with { Tags = new Dictionary<string, string> { [key] = value } });
        Assert.Equal(($"Tags[{key}]", value), (e.Field, e.Value));
    }

    [Theory]
    [InlineData("My_Bucket")]
    [InlineData("ab")]
    [InlineData("bucket..name")]
    public void State_bucket_name_must_be_valid(string bucket)
    {
        var e = Single(Valid() with { StateBackend = Valid().StateBackend with { Bucket = bucket } });
        Assert.Equal(("StateBackend.Bucket", bucket), (e.Field, e.Value));
        Assert.Contains("not a valid S3 bucket name", e.Problem);
    }

    [Fact]
    public void State_bucket_name_leaves_room_for_the_log_bucket()
    {
        var bucket = new string('b', 52);
        var e = Single(Valid() with { StateBackend = Valid().StateBackend with { Bucket = bucket } });
        Assert.Contains("-access-logs", e.Problem);
    }

    [Fact]
    public void Lock_table_name_must_be_valid()
    {
        var e = Single(Valid() with { StateBackend = Valid().StateBackend with { LockTable = "x" } });
        Assert.Equal(("StateBackend.LockTable", "x"), (e.Field, e.Value));
    }

    [Fact]
    public void State_region_must_be_known()
    {
        var e = Single(Valid() with { StateBackend = Valid().StateBackend with { Region = "mars-1" } });
        Assert.Equal(("StateBackend.Region", "mars-1"), (e.Field, e.Value));
    }

    [Fact]
    public void State_kms_alias_must_be_a_name()
    {
        var e = Single(Valid() with { StateBackend = Valid().StateBackend with { KmsKeyAlias = "aws/s3" } });
        Assert.Equal(("StateBackend.KmsKeyAlias", "aws/s3"), (e.Field, e.Value));
    }

    [Fact]
    public void State_key_must_be_a_relative_tfstate_key()
    {
        var e = Single(Valid() with { StateBackend = Valid().StateBackend with { Key = "/state.json" } });
        Assert.Equal(("StateBackend.Key", "/state.json"), (e.Field, e.Value));
    }

    [Fact]
    public void State_key_must_stay_out_of_the_bootstrap_prefix()
    {
        var e = Single(Valid() with { StateBackend = Valid().StateBackend with { Key = "bootstrap/terraform.tfstate" } });
        Assert.Equal(("StateBackend.Key", "bootstrap/terraform.tfstate"), (e.Field, e.Value));
        Assert.Contains("bootstrap stack keeps its own state", e.Problem);
    }

    [Fact]
    public void State_keys_must_not_be_shared_between_environments()
    {
        var dev = Valid();
        var staging = Valid("staging", "444455556666", "10.20.0.0/16") with
        {
            StateBackend = dev.StateBackend with { Key = "envs/dev/terraform.tfstate" },
        };
        var e = Single(dev, staging);
        Assert.Equal(("*", "StateBackend.Key", $"s3://{dev.StateBackend.Bucket}/envs/dev/terraform.tfstate"), (e.Environment, e.Field, e.Value));
        Assert.Contains("dev and staging", e.Problem);
    }

    [Fact]
    public void Environment_names_are_unique()
    {
        var errors = EnvironmentValidator.Validate([Valid(), Valid("dev", "444455556666", "10.20.0.0/16")]);
        Assert.Contains(errors, e => e is { Environment: "*", Field: "Name", Value: "dev" });
    }

    [Fact]
    public void Each_environment_has_its_own_account()
    {
        var e = Single(Valid(), Valid("staging", "111122223333", "10.20.0.0/16") with
        {
            StateBackend = Valid().StateBackend with { Bucket = "tfstate-staging" },
        });
        Assert.Equal(("AccountId", "111122223333"), (e.Field, e.Value));
        Assert.Contains("OIDC provider", e.Problem);
    }

    [Fact]
    public void No_environments_is_an_error()
    {
        var e = Single();
        Assert.Equal("Environments", e.Field);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_before_anything_is_built()
    {
        var bad = Valid() with { AccountId = "1", Region = "nowhere-1", LogRetentionDays = 2 };
        var ex = Assert.Throws<InvalidConfigurationException>(() => EnvironmentValidator.EnsureValid([bad]));
        Assert.Equal(3, ex.Errors.Count);
        Assert.StartsWith("Invalid configuration (3 problems):", ex.Message);
        Assert.Contains("[dev] AccountId = \"1\"", ex.Message);
        Assert.Contains("[dev] Region = \"nowhere-1\"", ex.Message);
        Assert.Contains("[dev] LogRetentionDays = \"2\"", ex.Message);
    }
}
