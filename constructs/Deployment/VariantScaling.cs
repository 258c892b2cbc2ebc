namespace MlopsTf.Constructs.Deployment;

/// <summary>What the scaling of an endpoint variant shares, real-time or asynchronous.</summary>
public static class VariantScaling
{
    /// <summary>The scalable dimension of a SageMaker endpoint variant.</summary>
    public const string Dimension = "sagemaker:variant:DesiredInstanceCount";

    /// <summary>The scalable target's resource id of <paramref name="variant"/> on the endpoint named <paramref name="endpointName"/>.</summary>
    public static string ResourceId(string endpointName, string variant) => $"endpoint/{endpointName}/variant/{variant}";

    /// <summary>A scaling policy on <paramref name="target"/> (its namespace, resource id and dimension referenced).</summary>
    public static AppautoscalingPolicy Policy(Construct scope, string id, AppautoscalingTarget target, AppautoscalingPolicyConfig config)
    {
        config.ServiceNamespace = target.ServiceNamespace;
        config.ResourceId = target.ResourceId;
        config.ScalableDimension = target.ScalableDimension;
        return new AppautoscalingPolicy(scope, id, config);
    }
}
