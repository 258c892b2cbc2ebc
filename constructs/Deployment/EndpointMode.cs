namespace MlopsTf.Constructs.Deployment;

/// <summary>How an endpoint serves.</summary>
public enum EndpointMode
{
    /// <summary>Provisioned instances per production variant.</summary>
    RealTime,

    /// <summary>SageMaker Serverless Inference: pay per request, scales to zero.</summary>
    Serverless,
}
