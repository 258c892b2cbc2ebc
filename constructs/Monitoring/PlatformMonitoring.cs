namespace MlopsTf.Constructs.Monitoring;

/// <summary>Props for <see cref="PlatformMonitoring"/>.</summary>
public sealed record PlatformMonitoringProps
{
    /// <summary>Topic the alarms, rules and budget notify.</summary>
    public required AlertsTopic Alerts { get; init; }

    /// <summary>The training pipeline.</summary>
    public required TrainingPipeline Pipeline { get; init; }

    /// <summary>Functions whose errors, throttles and dead-letter queues are watched.</summary>
    public required IReadOnlyList<PythonFunction> Functions { get; init; }

    /// <summary>Glue data preparation whose job failures are reported.</summary>
    public required IReadOnlyList<DataPreparation> GlueJobs { get; init; }

    /// <summary>Visible dead-letter messages that raise an alarm. Default: 1.</summary>
    public int DeadLetterQueueThreshold { get; init; } = 1;

    /// <summary>Monthly cost budget in USD.</summary>
    public required int MonthlyBudgetUsd { get; init; }

    /// <summary>Percentages of the budget (actual spend) that notify. Default: 80 and 100.</summary>
    public IReadOnlyList<int> BudgetAlertPercents { get; init; } = [80, 100];
}

/// <summary>
/// Alarms on pipeline failures and time-outs, Lambda errors and throttles and dead-letter depth (all with actions to
/// the alerts topic), an EventBridge rule that reports Glue job failures to the topic, a pipeline dashboard, and the
/// environment's monthly cost budget notifying the topic.
/// </summary>
public sealed class PlatformMonitoring : Construct
{
    /// <summary>Alarms by construct id.</summary>
    public IReadOnlyDictionary<string, CloudwatchMetricAlarm> Alarms => _alarms;

    private readonly Dictionary<string, CloudwatchMetricAlarm> _alarms = new();

    /// <summary>Creates the alarms, rule, dashboard and budget.</summary>
    public PlatformMonitoring(Construct scope, string id, PlatformMonitoringProps props) : base(scope, id)
    {
        if (props.MonthlyBudgetUsd <= 0)
            throw new ArgumentException($"PlatformMonitoringProps.MonthlyBudgetUsd = {props.MonthlyBudgetUsd}: set a positive monthly budget in USD.");
        var context = StackContext.Of(scope);
        var name = context.NamePrefix;
        var topic = props.Alerts.Arn;

        Alarm("pipeline-failed", $"{name}-pipeline-failed", "The training pipeline failed", "AWS/States", "ExecutionsFailed",
            new() { ["StateMachineArn"] = props.Pipeline.Arn }, 0, topic, NoExecutions);
        Alarm("pipeline-timed-out", $"{name}-pipeline-timed-out", "The training pipeline timed out", "AWS/States", "ExecutionsTimedOut",
            new() { ["StateMachineArn"] = props.Pipeline.Arn }, 0, topic, NoExecutions);
        foreach (var fn in props.Functions)
        {
            var fid = fn.ConfiguredName.StartsWith($"{name}-", StringComparison.Ordinal) ? fn.ConfiguredName[(name.Length + 1)..] : fn.ConfiguredName;
            Alarm($"{fid}-errors", $"{name}-{fid}-errors", $"Function {fid} raised errors", "AWS/Lambda", "Errors",
                new() { ["FunctionName"] = fn.Name }, 0, topic, NoInvocations);
            Alarm($"{fid}-throttles", $"{name}-{fid}-throttles", $"Function {fid} was throttled", "AWS/Lambda", "Throttles",
                new() { ["FunctionName"] = fn.Name }, 0, topic, NoInvocations);
            Alarm($"{fid}-dead-letters", $"{name}-{fid}-dead-letters", $"Function {fid} sent events to its dead-letter queue", "AWS/SQS",
                "ApproximateNumberOfMessagesVisible", new() { ["QueueName"] = fn.DeadLetterQueue.Name }, props.DeadLetterQueueThreshold - 1, topic, EmptyQueue, "Maximum");
        }

        if (props.GlueJobs.Count > 0)
        {
            var rule = new CloudwatchEventRule(this, "glue-job-failed", new CloudwatchEventRuleConfig
            {
                Name = $"{name}-glue-job-failed",
                Description = "Glue jobs of the platform that failed, timed out or were stopped",
                EventPattern = JsonExpression.Encode(JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["source"] = new[] { "aws.glue" },
                    ["detail-type"] = new[] { "Glue Job State Change" },
                    ["detail"] = new Dictionary<string, object>
                    {
                        ["jobName"] = props.GlueJobs.Select(g => g.Job.Name).ToArray(),
                        // The states "Glue Job State Change" carries: https://docs.aws.amazon.com/glue/latest/dg/automating-awsglue-with-cloudwatch-events.html
                        ["state"] = new[] { "FAILED", "TIMEOUT", "STOPPED" },
                    },
                }), "event_pattern"),
            });
            new CloudwatchEventTarget(this, "glue-job-failed-to-alerts", new CloudwatchEventTargetConfig
            {
                Rule = rule.Name,
                Arn = topic,
                TargetId = "alerts-topic",
            });
        }

        new CloudwatchDashboard(this, "dashboard", new CloudwatchDashboardConfig
        {
            DashboardName = $"{name}-pipeline",
            DashboardBody = JsonExpression.Encode(DashboardJson(props, context.Region), "dashboard_body"),
        });

        new BudgetsBudget(this, "budget", new BudgetsBudgetConfig
        {
            Name = $"{name}-monthly",
            BudgetType = "COST",
            TimeUnit = "MONTHLY",
            LimitAmount = props.MonthlyBudgetUsd.ToString(System.Globalization.CultureInfo.InvariantCulture),
            LimitUnit = "USD",
            Notification = props.BudgetAlertPercents.Select(percent => (IBudgetsBudgetNotification)new BudgetsBudgetNotification
            {
                ComparisonOperator = "GREATER_THAN",
                NotificationType = "ACTUAL",
                Threshold = percent,
                ThresholdType = "PERCENTAGE",
                SubscriberSnsTopicArns = [topic],
            }).ToArray(),
        });
    }

    private static readonly MissingData NoExecutions =
        MissingData.NotBreaching("Step Functions publishes execution metrics only for executions, so a period without a run has no datapoint and no failure");

    private static readonly MissingData NoInvocations =
        MissingData.NotBreaching("Lambda publishes Errors and Throttles only for invocation attempts, so a period without any has no datapoint and nothing failed");

    private static readonly MissingData EmptyQueue =
        MissingData.NotBreaching("SQS stops publishing the depth of a queue that holds no messages and sees no requests, which is an empty dead-letter queue");

    private void Alarm(string id, string alarmName, string description, string ns, string metric, Dictionary<string, string> dimensions,
        double threshold, string topic, MissingData missing, string statistic = "Sum")
    {
        _alarms[id] = new CloudwatchMetricAlarm(this, $"alarm-{id}", new CloudwatchMetricAlarmConfig
        {
            AlarmName = alarmName,
            AlarmDescription = missing.Describe(description),
            Namespace = ns,
            MetricName = metric,
            Dimensions = dimensions,
            Statistic = statistic,
            Period = 300,
            EvaluationPeriods = 1,
            Threshold = threshold,
            ComparisonOperator = "GreaterThanThreshold",
            TreatMissingData = missing.Treatment,
            ActionsEnabled = true,
            AlarmActions = [topic],
            OkActions = [topic],
        });
    }

    private static string DashboardJson(PlatformMonitoringProps p, string region)
    {
        object Widget(string title, int y, params object[] metrics) => new
        {
            type = "metric",
            x = 0,
            y,
            width = 24,
            height = 6,
            properties = new { title, region, stat = "Sum", period = 300, view = "timeSeries", metrics },
        };
        var lambdaMetrics = p.Functions.SelectMany(f => new object[]
        {
            new object[] { "AWS/Lambda", "Errors", "FunctionName", f.Name },
            new object[] { "AWS/Lambda", "Throttles", "FunctionName", f.Name },
        }).ToArray();
        var queueMetrics = p.Functions.Select(f => (object)new object[] { "AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", f.DeadLetterQueue.Name }).ToArray();
        var glueMetrics = p.GlueJobs.Select(g => g.Job.Name).Select(j => (object)new object[] { "Glue", "glue.driver.aggregate.numFailedTasks", "JobName", j, "JobRunId", "ALL", "Type", "count" }).ToArray();
        return JsonSerializer.Serialize(new
        {
            widgets = new[]
            {
                Widget("Training pipeline executions", 0,
                    new object[] { "AWS/States", "ExecutionsStarted", "StateMachineArn", p.Pipeline.Arn },
                    new object[] { "AWS/States", "ExecutionsSucceeded", "StateMachineArn", p.Pipeline.Arn },
                    new object[] { "AWS/States", "ExecutionsFailed", "StateMachineArn", p.Pipeline.Arn },
                    new object[] { "AWS/States", "ExecutionsTimedOut", "StateMachineArn", p.Pipeline.Arn }),
                Widget("Pipeline functions: errors and throttles", 6, lambdaMetrics),
                Widget("Dead-letter queues", 12, queueMetrics),
                Widget("Glue preprocessing: failed tasks", 18, glueMetrics),
            },
        }, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
