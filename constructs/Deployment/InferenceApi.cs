namespace MlopsTf.Constructs.Deployment;

/// <summary>Props for <see cref="InferenceApi"/>.</summary>
public sealed record InferenceApiProps
{
    /// <summary>The endpoint the API invokes.</summary>
    public required ModelEndpoint Endpoint { get; init; }

    /// <summary>Handler source of the proxy function.</summary>
    public required string ProxySourceDirectory { get; init; }

    /// <summary>Private subnets of the proxy.</summary>
    public required string[] SubnetIds { get; init; }

    /// <summary>Security group of the proxy.</summary>
    public required string SecurityGroupId { get; init; }

    /// <summary>Key for the proxy's environment and dead-letter queue.</summary>
    public required CustomerManagedKey DataKey { get; init; }

    /// <summary>Key for the proxy's and the API's log groups.</summary>
    public required CustomerManagedKey LogsKey { get; init; }

    /// <summary>Log retention in days.</summary>
    public required int LogRetentionDays { get; init; }

    /// <summary>Origins allowed by CORS; empty turns CORS off. Default: none.</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    /// <summary>Steady-state requests per second.</summary>
    public required int RateLimitPerSecond { get; init; }

    /// <summary>Burst limit.</summary>
    public required int BurstLimit { get; init; }

    /// <summary>Largest request body in bytes.</summary>
    public required int MaxBodyBytes { get; init; }

    /// <summary>Concurrent executions reserved for the proxy. Default: 10.</summary>
    public int ReservedConcurrency { get; init; } = 10;
}

/// <summary>
/// The public inference API: an HTTP API with <c>POST /predict</c> proxied by a Lambda function (in the VPC, with
/// dead-letter queue, reserved concurrency and tracing) that validates the payload and invokes the endpoint, CORS
/// from configuration, stage throttling and JSON access logs to a KMS-encrypted log group.
/// </summary>
public sealed class InferenceApi : Construct
{
    /// <summary>The proxy function.</summary>
    public PythonFunction Proxy { get; }

    /// <summary>The HTTP API.</summary>
    public Apigatewayv2Api Api { get; }

    /// <summary>The URL of <c>POST /predict</c>.</summary>
    public string PredictUrl => $"{Api.ApiEndpoint}/predict";

    /// <summary>Creates the API, the proxy and their wiring.</summary>
    public InferenceApi(Construct scope, string id, InferenceApiProps props) : base(scope, id)
    {
        if (props.RateLimitPerSecond < 1 || props.BurstLimit < 1)
            throw new ArgumentException($"InferenceApiProps.RateLimitPerSecond/BurstLimit = {props.RateLimitPerSecond}/{props.BurstLimit}: throttling limits must be positive.");
        if (props.CorsOrigins.Any(o => o == "*" || !o.StartsWith("https://", StringComparison.Ordinal)))
            throw new ArgumentException($"InferenceApiProps.CorsOrigins = [{string.Join(", ", props.CorsOrigins)}]: list exact https origins; '*' is not allowed.");
        var context = StackContext.Of(scope);
        var name = context.Name($"{props.Endpoint.Node.Id}-api");
        Proxy = new PythonFunction(this, "proxy", new PythonFunctionProps
        {
            FunctionName = $"{name}-proxy",
            Description = $"Validates /predict requests and invokes {props.Endpoint.Name}",
            SourceDirectory = props.ProxySourceDirectory,
            Handler = "inference_proxy.handler",
            SubnetIds = props.SubnetIds,
            SecurityGroupIds = [props.SecurityGroupId],
            DataKey = props.DataKey,
            LogsKey = props.LogsKey,
            LogRetentionDays = props.LogRetentionDays,
            ReservedConcurrency = props.ReservedConcurrency,
            TimeoutSeconds = 29,
            Environment = new Dictionary<string, string>
            {
                ["ENDPOINT_NAME"] = props.Endpoint.Endpoint.Name,
                ["MAX_BODY_BYTES"] = props.MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        });
        props.Endpoint.GrantInvoke(Proxy.Role);

        Api = new Apigatewayv2Api(this, "api", new Apigatewayv2ApiConfig
        {
            Name = name,
            ProtocolType = "HTTP",
            Description = $"Public inference API of {props.Endpoint.Name}",
            CorsConfiguration = props.CorsOrigins.Count > 0
                ? new Apigatewayv2ApiCorsConfiguration
                {
                    AllowOrigins = [.. props.CorsOrigins],
                    AllowMethods = ["POST", "OPTIONS"],
                    AllowHeaders = ["content-type", "authorization"],
                    MaxAge = 3600,
                }
                : null,
        });
        var integration = new Apigatewayv2Integration(this, "integration", new Apigatewayv2IntegrationConfig
        {
            ApiId = Api.Id,
            IntegrationType = "AWS_PROXY",
            IntegrationUri = Proxy.Arn,
            PayloadFormatVersion = "2.0",
            TimeoutMilliseconds = 29000,
        });
        new Apigatewayv2Route(this, "predict-route", new Apigatewayv2RouteConfig
        {
            ApiId = Api.Id,
            RouteKey = "POST /predict",
            Target = $"integrations/{integration.Id}",
        });
        var accessLogs = new EncryptedLogGroup(this, "access-logs", new EncryptedLogGroupProps
        {
            LogGroupName = $"/aws/apigateway/{name}",
            EncryptionKey = props.LogsKey,
            RetentionInDays = props.LogRetentionDays,
        });
        new Apigatewayv2Stage(this, "stage", new Apigatewayv2StageConfig
        {
            ApiId = Api.Id,
            Name = "$default",
            AutoDeploy = true,
            DefaultRouteSettings = new Apigatewayv2StageDefaultRouteSettings
            {
                ThrottlingRateLimit = props.RateLimitPerSecond,
                ThrottlingBurstLimit = props.BurstLimit,
                DetailedMetricsEnabled = true,
            },
            AccessLogSettings = new Apigatewayv2StageAccessLogSettings
            {
                DestinationArn = accessLogs.Arn,
                Format = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string>
                {
                    ["requestId"] = "$context.requestId",
                    ["ip"] = "$context.identity.sourceIp",
                    ["requestTime"] = "$context.requestTime",
                    ["routeKey"] = "$context.routeKey",
                    ["status"] = "$context.status",
                    ["latency"] = "$context.responseLatency",
                    ["integrationError"] = "$context.integrationErrorMessage",
                }),
            },
        });
        new LambdaPermission(this, "api-invokes-proxy", new LambdaPermissionConfig
        {
            StatementId = "AllowHttpApiPredictRoute",
            Action = "lambda:InvokeFunction",
            FunctionName = Proxy.Name,
            Principal = "apigateway.amazonaws.com",
            SourceArn = $"{Api.ExecutionArn}/*/*/predict",
            SourceAccount = context.AccountId,
        });
    }
}
