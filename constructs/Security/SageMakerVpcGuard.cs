namespace MlopsTf.Constructs.Security;

/// <summary>Props for <see cref="SageMakerVpcGuard"/>.</summary>
public sealed record SageMakerVpcGuardProps
{
    /// <summary>Policy name (within the CI apply role's <c>&lt;project&gt;-&lt;env&gt;-*</c> scope).</summary>
    public required string PolicyName { get; init; }

    /// <summary>The only subnets SageMaker jobs and models may use.</summary>
    public required string[] AllowedSubnetIds { get; init; }
}

/// <summary>
/// A guardrail policy for every identity that creates SageMaker jobs or models: it denies creating training,
/// processing and tuning jobs and models without VPC subnets, or in subnets other than the platform's.
/// </summary>
public sealed class SageMakerVpcGuard : Construct
{
    /// <summary>Actions the guard covers.</summary>
    public static readonly string[] GuardedActions =
        ["sagemaker:CreateTrainingJob", "sagemaker:CreateProcessingJob", "sagemaker:CreateHyperParameterTuningJob", "sagemaker:CreateModel"];

    /// <summary>The managed policy.</summary>
    public IamPolicy Policy { get; }

    /// <summary>Policy ARN.</summary>
    public string Arn => field ??= Policy.Arn;

    /// <summary>Creates the policy.</summary>
    public SageMakerVpcGuard(Construct scope, string id, SageMakerVpcGuardProps props) : base(scope, id)
    {
        if (props.AllowedSubnetIds.Length == 0)
            throw new ArgumentException($"SageMakerVpcGuardProps.AllowedSubnetIds is empty for {props.PolicyName}: pass the private subnets jobs must run in.");
        var document = Common.Policy.Document(this, "document",
            Common.Policy.Deny("DenyWithoutVpc", GuardedActions, ["*"],
                [Common.Policy.When("Null", "sagemaker:VpcSubnets", "true")]),
            Common.Policy.Deny("DenyOutsidePlatformSubnets", GuardedActions, ["*"],
                [Common.Policy.When("ForAnyValue:StringNotEquals", "sagemaker:VpcSubnets", props.AllowedSubnetIds)]));
        Policy = new IamPolicy(this, "policy", new IamPolicyConfig
        {
            Name = props.PolicyName,
            Description = "Denies SageMaker jobs and models outside the platform's private subnets",
            Policy = document.Json,
        });
    }
}
