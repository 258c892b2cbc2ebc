namespace MlopsTf.Constructs.Deployment;

/// <summary>How an endpoint serves.</summary>
public enum EndpointMode
{
    /// <summary>Provisioned instances per production variant.</summary>
    RealTime,

    /// <summary>SageMaker Serverless Inference: pay per request, scales to zero.</summary>
    Serverless,

    /// <summary>
    /// SageMaker Asynchronous Inference: requests queue (input in S3), results go to S3 with a success or error
    /// notification, instances scale on the backlog, to zero when it is empty.
    /// </summary>
    Async,
}
