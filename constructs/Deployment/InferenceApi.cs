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

    /// <summary>Who may call <c>POST /predict</c>. Default: <see cref="ApiAuthorization.None"/>.</summary>
    public ApiAuthorization Authorization { get; init; } = ApiAuthorization.None;

    /// <summary>The topic the API's alarms notify.</summary>
    public required AlertsTopic Alerts { get; init; }

    /// <summary>p95 of the API's end-to-end latency (milliseconds) above which its alarm fires; at most the 29 s integration timeout.</summary>
    public required int LatencyP95Ms { get; init; }

    /// <summary>Percent of requests answered with 5xx above which its alarm fires.</summary>
    public required double ErrorRatePercent { get; init; }
}

/// <summary>
/// The public inference API: an HTTP API with <c>POST /predict</c> proxied by a Lambda function (in the VPC, with
/// dead-letter queue, reserved concurrency and tracing) that validates the payload and invokes the endpoint, CORS
/// from configuration, optional IAM or JWT authorization, stage throttling, JSON access logs to a KMS-encrypted log
/// group, and alarms on the 5xx rate and the p95 latency.
/// </summary>
public sealed class InferenceApi : Construct
{
    /// <summary>The proxy function.</summary>
    public PythonFunction Proxy { get; }

    /// <summary>The HTTP API.</summary>
    public Apigatewayv2Api Api { get; }

    /// <summary>The API's alarms: <c>5xx-rate</c> and <c>latency-p95</c>.</summary>
    public IReadOnlyDictionary<string, CloudwatchMetricAlarm> Alarms { get; }

    /// <summary>The URL of <c>POST /predict</c>.</summary>
    public string PredictUrl => $"{Api.ApiEndpoint}/predict";

    /// <summary>Creates the API, the proxy and their wiring.</summary>
    public InferenceApi(Construct scope, string id, InferenceApiProps props) : base(scope, id)
    {
        if (props.RateLimitPerSecond < 1 || props.BurstLimit < 1)
            throw new ArgumentException($"InferenceApiProps.RateLimitPerSecond/BurstLimit = {props.RateLimitPerSecond}/{props.BurstLimit}: throttling limits must be positive.");
        if (props.CorsOrigins.Any(o => o == "*" || !o.StartsWith("https://", StringComparison.Ordinal)))
            throw new ArgumentException($"InferenceApiProps.CorsOrigins = [{string.Join(", ", props.CorsOrigins)}]: list exact https origins; '*' is not allowed.");
        if (props.Authorization.Problem() is { } authProblem)
            throw new ArgumentException($"InferenceApiProps.Authorization.{authProblem}.");
        if (props.LatencyP95Ms is < 1 or > 29000)
            throw new ArgumentException($"InferenceApiProps.LatencyP95Ms = {props.LatencyP95Ms}: give a threshold from 1 to 29000 ms (the integration times out at 29 s).");
        if (props.ErrorRatePercent is <= 0 or > 100)
            throw new ArgumentException($"InferenceApiProps.ErrorRatePercent = {props.ErrorRatePercent}: give a percentage above 0 and at most 100, e.g. 1.");
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
        var authorizer = props.Authorization.Kind == ApiAuthorizationKind.Jwt
            ? new Apigatewayv2Authorizer(this, "jwt-authorizer", new Apigatewayv2AuthorizerConfig
            {
                ApiId = Api.Id,
                Name = $"{name}-jwt",
                AuthorizerType = "JWT",
                IdentitySources = ["$request.header.Authorization"],
                JwtConfiguration = new Apigatewayv2AuthorizerJwtConfiguration
                {
                    Issuer = props.Authorization.JwtIssuer,
                    Audience = [.. props.Authorization.JwtAudiences!],
                },
            })
            : null;
        new Apigatewayv2Route(this, "predict-route", new Apigatewayv2RouteConfig
        {
            ApiId = Api.Id,
            RouteKey = "POST /predict",
            Target = $"integrations/{integration.Id}",
            AuthorizationType = props.Authorization.Kind switch { ApiAuthorizationKind.Iam => "AWS_IAM", ApiAuthorizationKind.Jwt => "JWT", _ => "NONE" },
            AuthorizerId = authorizer?.Id,
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
            Name = Stage,
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
        Alarms = AddAlarms(name, props);
    }

    private const string Stage = "$default";

    private static readonly MissingData NoRequestsIsHealthy =
        MissingData.NotBreaching("API Gateway publishes no datapoint for a period without requests, and an API that serves nothing is not failing");

    private Dictionary<string, CloudwatchMetricAlarm> AddAlarms(string name, InferenceApiProps props)
    {
        var dims = new Dictionary<string, string> { ["ApiId"] = Api.Id, ["Stage"] = Stage };
        var scope = new Construct(this, "alarms");
        var alarms = new Dictionary<string, CloudwatchMetricAlarm>
        {
            ["5xx-rate"] = EndpointAlarms.Add(scope, "5xx-rate", props.Alerts.Arn, NoRequestsIsHealthy, EndpointAlarms.RatePercent($"{name}-5xx-rate",
                $"5xx answers above {props.ErrorRatePercent} % of requests to {name}", props.ErrorRatePercent,
                "AWS/ApiGateway", dims, "5xx", ("requests", "Count"), "5xx rate (%)")),
            ["latency-p95"] = EndpointAlarms.Add(scope, "latency-p95", props.Alerts.Arn, NoRequestsIsHealthy, new CloudwatchMetricAlarmConfig
            {
                AlarmName = $"{name}-latency-p95",
                AlarmDescription = $"p95 latency of {name} above {props.LatencyP95Ms} ms",
                Namespace = "AWS/ApiGateway", MetricName = "Latency", Dimensions = dims, ExtendedStatistic = "p95", Period = 60,
                EvaluationPeriods = 3, DatapointsToAlarm = 3, Threshold = props.LatencyP95Ms, ComparisonOperator = "GreaterThanThreshold",
            }),
        };
        return alarms;
    }
}
