namespace MlopsTf.Tests;

public class ServingValidationTests
{
    private static EndpointSpec StagingChurn => Staging.Config.Serving.Endpoints[0];

    private static EnvironmentConfig Staged(Func<EndpointSpec, EndpointSpec> change) => Staging.Config with
    {
        Serving = Staging.Config.Serving with { Endpoints = [change(StagingChurn), .. Staging.Config.Serving.Endpoints.Skip(1)] },
    };

    private static EnvironmentConfig DevEndpoint(Func<EndpointSpec, EndpointSpec> change) => Dev.Config with
    {
        Serving = Dev.Config.Serving with { Endpoints = [change(Dev.Config.Serving.Endpoints[0])] },
    };

    private static ConfigError Single(EnvironmentConfig env)
    {
        var errors = EnvironmentValidator.Validate([env]);
        Assert.True(errors.Count == 1, $"expected exactly one error, got {errors.Count}:\n{string.Join("\n", errors)}");
        return errors[0];
    }

    [Fact]
    public void Shipped_serving_configuration_is_valid() => Assert.Empty(EnvironmentValidator.Validate(Platform.Environments));

    [Fact]
    public void Endpoint_instance_types_are_ones_sagemaker_hosts()
    {
        var env = Staging.Config with { SageMaker = Staging.Config.SageMaker with { AllowedInstanceTypes = [.. Staging.Config.SageMaker.AllowedInstanceTypes, "ml.t3.medium"] } };
        var churn = env.Serving.Endpoints[0];
        var e = Single(env with
        {
            Serving = env.Serving with { Endpoints = [churn with { Variants = [churn.Variants[0] with { InstanceType = "ml.t3.medium" }] }, .. env.Serving.Endpoints.Skip(1)] },
        });
        Assert.Equal(("Serving.Endpoints[churn].Variants[primary].InstanceType", "ml.t3.medium"), (e.Field, e.Value));
        Assert.Contains("not accepted by SageMaker for real-time endpoints", e.Problem);
    }

    [Fact]
    public void Weights_must_sum_to_a_positive_total()
    {
        var ab = Staging.Config.Serving.Endpoints[1];
        var env = Staging.Config with
        {
            Serving = Staging.Config.Serving with { Endpoints = [StagingChurn, ab with { Variants = [.. ab.Variants.Select(v => v with { Weight = 0 })] }] },
        };
        var e = Single(env);
        Assert.Equal(("Serving.Endpoints[churn-ab].Variants", "0/0"), (e.Field, e.Value));
        Assert.Contains("sum to a positive total", e.Problem);
    }

    [Fact]
    public void Instance_type_outside_the_allow_list_fails_synth()
    {
        var e = Single(Staged(x => x with { Variants = [x.Variants[0] with { InstanceType = "ml.p4d.24xlarge" }] }));
        Assert.Equal(("Serving.Endpoints[churn].Variants[primary].InstanceType", "ml.p4d.24xlarge"), (e.Field, e.Value));
        Assert.Contains("cost guardrail", e.Problem);
    }

    [Fact]
    public void Real_time_variants_name_an_instance_type()
    {
        var e = Single(Staged(x => x with { Variants = [x.Variants[0] with { InstanceType = null }] }));
        Assert.Equal(("Serving.Endpoints[churn].Variants[primary].InstanceType", "null"), (e.Field, e.Value));
        Assert.Contains("needs an instance type", e.Problem);
    }

    [Fact]
    public void Instance_count_above_the_maximum_fails_synth()
    {
        var e = Single(Staged(x => x with { Variants = [x.Variants[0] with { InstanceCount = 5 }], Autoscaling = null }));
        Assert.Equal(("Serving.Endpoints[churn].Variants[primary].InstanceCount", "5"), (e.Field, e.Value));
        Assert.Contains("SageMaker.MaxInstanceCount (4)", e.Problem);
    }

    [Fact]
    public void Prod_real_time_variants_run_at_least_two_instances()
    {
        var prod = Prod.Config.Serving.Endpoints[0];
        var env = Prod.Config with { Serving = Prod.Config.Serving with { Endpoints = [prod with { Variants = [prod.Variants[0] with { InstanceCount = 1 }] }] } };
        var e = Single(env);
        Assert.Equal(("Serving.Endpoints[churn].Variants[primary].InstanceCount", "1"), (e.Field, e.Value));
        Assert.Contains("MinimumInstancesPerVariant (2)", e.Problem);
    }

    [Theory]
    [InlineData(512)]
    [InlineData(1500)]
    [InlineData(7168)]
    public void Serverless_memory_is_1024_to_6144_in_1024_steps(int memory)
    {
        var e = Single(DevEndpoint(x => x with { Serverless = x.Serverless with { MemoryMb = memory } }));
        Assert.Equal(("Serving.Endpoints[churn].Serverless.MemoryMb", memory.ToString()), (e.Field, e.Value));
        Assert.Equal("must be 1024, 2048, 3072, 4096, 5120 or 6144", e.Problem);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(201)]
    public void Serverless_concurrency_is_1_to_200(int concurrency)
    {
        var e = Single(DevEndpoint(x => x with { Serverless = x.Serverless with { MaxConcurrency = concurrency } }));
        Assert.Equal(("Serving.Endpoints[churn].Serverless.MaxConcurrency", concurrency.ToString()), (e.Field, e.Value));
    }

    [Fact]
    public void Provisioned_concurrency_is_at_most_the_maximum()
    {
        var e = Single(DevEndpoint(x => x with { Serverless = x.Serverless with { ProvisionedConcurrency = 6 } }));
        Assert.Equal(("Serving.Endpoints[churn].Serverless.ProvisionedConcurrency", "6"), (e.Field, e.Value));
    }

    [Fact]
    public void Serverless_endpoints_take_no_capture_autoscaling_or_variants()
    {
        var errors = EnvironmentValidator.Validate([DevEndpoint(x => x with
        {
            DataCapture = new(10),
            Autoscaling = new() { MaxInstances = 1 },
            Variants = [new() { Name = "v", InstanceType = "ml.m5.large", InstanceCount = 1 }],
        })]);
        Assert.Equal(["Serving.Endpoints[churn].Variants", "Serving.Endpoints[churn].Autoscaling", "Serving.Endpoints[churn].DataCapture"], errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(51)]
    public void Canary_size_is_1_to_50_percent(int percent)
    {
        var e = Single(Staged(x => x with { Rollout = x.Rollout with { CanaryPercent = percent } }));
        Assert.Equal($"[staging] Serving.Endpoints[churn].Rollout.CanaryPercent = \"{percent}\": must be between 1 and 50. Fix: start with a small canary, e.g. 10.", e.ToString());
    }

    [Fact]
    public void Linear_step_and_timeouts_are_bounded()
    {
        var errors = EnvironmentValidator.Validate([Staged(x => x with { Rollout = x.Rollout with { LinearStepPercent = 60, WaitIntervalSeconds = -1, MaxExecutionTimeoutSeconds = 100 } })]);
        Assert.Equal(["Serving.Endpoints[churn].Rollout.LinearStepPercent", "Serving.Endpoints[churn].Rollout.WaitIntervalSeconds", "Serving.Endpoints[churn].Rollout.MaxExecutionTimeoutSeconds"],
            errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData(9)]
    [InlineData(51)]
    public void Linear_step_is_10_to_50_percent_as_the_policy_pack_checks(int percent)
    {
        var e = Single(Staged(x => x with { Rollout = x.Rollout with { LinearStepPercent = percent } }));
        Assert.Equal(("Serving.Endpoints[churn].Rollout.LinearStepPercent", percent.ToString()), (e.Field, e.Value));
        Assert.Equal("must be between 10 and 50", e.Problem);
    }

    [Fact]
    public void Termination_wait_is_bounded_on_its_own()
    {
        var e = Single(Staged(x => x with { Rollout = x.Rollout with { TerminationWaitSeconds = 3601 } }));
        Assert.Equal(("Serving.Endpoints[churn].Rollout.TerminationWaitSeconds", "3601"), (e.Field, e.Value));
        Assert.Equal("must be between 0 and 3600 seconds", e.Problem);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void Scale_out_cpu_is_a_percentage(int percent)
    {
        var e = Single(Staged(x => x with { Autoscaling = x.Autoscaling! with { ScaleOutCpuPercent = percent } }));
        Assert.Equal(("Serving.Endpoints[churn].Autoscaling.ScaleOutCpuPercent", percent.ToString()), (e.Field, e.Value));
    }

    [Fact]
    public void Target_invocations_are_positive()
    {
        var e = Single(Staged(x => x with { Autoscaling = x.Autoscaling! with { TargetInvocationsPerInstance = 0 } }));
        Assert.Equal(("Serving.Endpoints[churn].Autoscaling.TargetInvocationsPerInstance", "0"), (e.Field, e.Value));
        Assert.Equal("must be at least 1", e.Problem);
    }

    [Fact]
    public void Active_version_must_be_retained()
    {
        var e = Single(Staged(x => x with { ActiveVersion = "0.9.0" }));
        Assert.Equal(("Serving.Endpoints[churn].ActiveVersion", "0.9.0"), (e.Field, e.Value));
        Assert.Contains("1.0.0, 1.1.0", e.Fix);
    }

    [Fact]
    public void Endpoint_model_must_exist()
    {
        var e = Single(Staged(x => x with { Model = "fraud" }));
        Assert.Equal(("Serving.Endpoints[churn].Model", "fraud"), (e.Field, e.Value));
    }

    [Fact]
    public void Single_variant_serves_the_active_version()
    {
        var e = Single(Staged(x => x with { Variants = [x.Variants[0] with { Version = "1.0.0" }] }));
        Assert.Equal(("Serving.Endpoints[churn].Variants[primary].Version", "1.0.0"), (e.Field, e.Value));
    }

    [Fact]
    public void Retained_versions_are_capped()
    {
        var model = Staging.Config.Serving.Models[0];
        var env = Staging.Config with { Serving = Staging.Config.Serving with { RetainedVersions = 1 } };
        var e = Single(env);
        Assert.Equal(($"Serving.Models[{model.Name}].Versions", "2"), (e.Field, e.Value));
        Assert.Contains("drop the oldest version", e.Fix);
    }

    [Fact]
    public void Model_versions_need_immutable_tags_and_tar_gz_keys()
    {
        var model = Staging.Config.Serving.Models[0];
        var env = Staging.Config with
        {
            Serving = Staging.Config.Serving with
            {
                Models = [model with { Versions = [model.Versions[0] with { ImageTag = "latest" }, model.Versions[1] with { ModelDataKey = "/churn/model.zip" }] }],
            },
        };
        var errors = EnvironmentValidator.Validate([env]);
        Assert.Equal([("Serving.Models[churn].Versions[1.0.0].ImageTag", "latest"), ("Serving.Models[churn].Versions[1.1.0].ModelDataKey", "/churn/model.zip")],
            errors.Select(e => (e.Field, e.Value)));
    }

    [Fact]
    public void Network_isolation_waiver_needs_a_reason()
    {
        var model = Staging.Config.Serving.Models[0];
        var e = Single(Staging.Config with { Serving = Staging.Config.Serving with { Models = [model with { NetworkIsolationWaiver = " " }] } });
        Assert.Equal("Serving.Models[churn].NetworkIsolationWaiver", e.Field);
        Assert.Contains("written reason", e.Problem);
    }

    [Fact]
    public void Autoscaling_maximum_is_within_the_allowance()
    {
        var e = Single(Staged(x => x with { Autoscaling = x.Autoscaling! with { MaxInstances = 8 } }));
        Assert.Equal(("Serving.Endpoints[churn].Autoscaling.MaxInstances", "8"), (e.Field, e.Value));
        Assert.Contains("cost guardrail", e.Problem);
    }

    [Fact]
    public void Capture_sampling_is_a_percentage()
    {
        var e = Single(Staged(x => x with { DataCapture = new(0) }));
        Assert.Equal(("Serving.Endpoints[churn].DataCapture.SamplingPercent", "0"), (e.Field, e.Value));
    }

    [Fact]
    public void Drift_monitor_threshold_and_instance_are_checked()
    {
        var errors = EnvironmentValidator.Validate([Staged(x => x with { DriftMonitor = x.DriftMonitor! with { Threshold = 2, InstanceType = "ml.p3.2xlarge" } })]);
        Assert.Equal(["Serving.Endpoints[churn].DriftMonitor.InstanceType", "Serving.Endpoints[churn].DriftMonitor.Threshold"], errors.Select(e => e.Field));
    }

    [Fact]
    public void Drift_monitor_needs_a_real_time_endpoint()
    {
        var e = Single(DevEndpoint(x => x with { DriftMonitor = new() { InstanceType = "ml.m5.large", Feature = "spend_30d" } }));
        Assert.Equal("Serving.Endpoints[churn].DriftMonitor", e.Field);
        Assert.Contains("serverless", e.Problem);
    }

    [Fact]
    public void Public_api_names_an_endpoint_and_exact_https_origins()
    {
        var errors = EnvironmentValidator.Validate([Staging.Config with
        {
            Serving = Staging.Config.Serving with { PublicApi = new() { Endpoint = "nope", CorsOrigins = ["*"], MaxBodyBytes = 7_000_000 }, Frontend = null },
        }]);
        Assert.Equal(["Serving.PublicApi.Endpoint", "Serving.PublicApi.MaxBodyBytes", "Serving.PublicApi.CorsOrigins"], errors.Select(e => e.Field));
    }

    [Fact]
    public void Endpoint_names_are_unique()
    {
        var errors = EnvironmentValidator.Validate([Staging.Config with
        {
            Serving = Staging.Config.Serving with { Endpoints = [StagingChurn, StagingChurn] },
        }]);
        Assert.Contains(errors, e => e is { Field: "Serving.Endpoints", Value: "churn" });
    }

    [Fact]
    public void Cleanup_schedule_must_be_an_expression()
    {
        var e = Single(Dev.Config with { Serving = Dev.Config.Serving with { NightlyCleanup = new() { Schedule = "at night" } } });
        Assert.Equal(("Serving.NightlyCleanup.Schedule", "at night"), (e.Field, e.Value));
    }

    [Fact]
    public void Version_labels_that_name_the_same_resources_are_rejected()
    {
        var model = Staging.Config.Serving.Models[0];
        var e = Single(Staging.Config with
        {
            Serving = Staging.Config.Serving with { Models = [model with { Versions = [model.Versions[0], model.Versions[1], model.Versions[1] with { Version = "1-1-0" }] }] },
        });
        Assert.Equal(("Serving.Models[churn].Versions", "1.1.0"), (e.Field, e.Value));
        Assert.Contains("name the same resources", e.Problem);
    }

    [Fact]
    public void Endpoint_configuration_names_must_fit_63_characters()
    {
        var model = Staging.Config.Serving.Models[0];
        var renamed = Staged(x => x with { Name = "churn-with-a-very-long-name-xy" });
        var e = Single(renamed with
        {
            Serving = renamed.Serving with
            {
                PublicApi = null,
                Frontend = null,
                Models = [model with { Versions = [.. model.Versions, model.Versions[1] with { Version = "1.1.0-rc.20261121" }] }],
            },
        });
        Assert.Equal(("Serving.Endpoints[churn-with-a-very-long-name-xy].Name", "churn-with-a-very-long-name-xy"), (e.Field, e.Value));
        Assert.Contains("would be 71 characters; SageMaker allows 63", e.Problem);
    }

    [Fact]
    public void Production_endpoints_do_not_scale_down_at_night()
    {
        var prod = Prod.Config.Serving.Endpoints[0];
        var e = Single(Prod.Config with { Serving = Prod.Config.Serving with { Endpoints = [prod with { Autoscaling = prod.Autoscaling! with { ScaleDownOffHours = true } }] } });
        Assert.Equal(("Serving.Endpoints[churn].Autoscaling.ScaleDownOffHours", "True"), (e.Field, e.Value));
    }

    [Fact]
    public void Drift_baseline_is_a_relative_prefix()
    {
        var e = Single(Staged(x => x with { DriftMonitor = x.DriftMonitor! with { BaselinePrefix = "/churn/baseline" } }));
        Assert.Equal(("Serving.Endpoints[churn].DriftMonitor.BaselinePrefix", "/churn/baseline"), (e.Field, e.Value));
    }

    [Fact]
    public void Ecr_keeps_at_least_the_retained_versions()
    {
        var e = Single(Staging.Config with { Ml = Staging.Config.Ml with { Ecr = new() { KeepTaggedImages = 2 } } });
        Assert.Equal(("Ml.Ecr.KeepTaggedImages", "2"), (e.Field, e.Value));
        Assert.Contains("rollback needs", e.Problem);
    }
}
