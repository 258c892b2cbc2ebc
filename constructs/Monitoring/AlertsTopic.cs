namespace MlopsTf.Constructs.Monitoring;

/// <summary>Props for <see cref="AlertsTopic"/>.</summary>
public sealed record AlertsTopicProps
{
    /// <summary>Topic name.</summary>
    public required string TopicName { get; init; }

    /// <summary>Key that encrypts messages; its policy must let CloudWatch, EventBridge and Budgets use it.</summary>
    public required CustomerManagedKey EncryptionKey { get; init; }

    /// <summary>E-mail addresses subscribed (each confirms by e-mail). Default: none.</summary>
    public IReadOnlyList<string> EmailSubscribers { get; init; } = [];
}

/// <summary>
/// The platform's alerts topic: KMS-encrypted, a policy that allows only TLS and lets the stack's account's CloudWatch
/// alarms, EventBridge rules and Budgets publish, and e-mail subscriptions.
/// </summary>
public sealed class AlertsTopic : Construct
{
    /// <summary>Services that publish alerts to the topic.</summary>
    public static readonly string[] PublishingServices = ["cloudwatch.amazonaws.com", "events.amazonaws.com", "budgets.amazonaws.com"];

    /// <summary>The topic resource.</summary>
    public SnsTopic Topic { get; }

    /// <summary>The key that encrypts the topic.</summary>
    public CustomerManagedKey EncryptionKey { get; }

    /// <summary>Topic ARN.</summary>
    public string Arn => field ??= Topic.Arn;

    /// <summary>The statements a publisher needs: <c>sns:Publish</c> on the topic and its key's data keys (SSE-KMS topics,
    /// https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#sns-what-permissions-for-sse).</summary>
    public IDataAwsIamPolicyDocumentStatement[] PublishStatements() =>
        [Policy.Allow("Notify", ["sns:Publish"], [Arn]), EncryptionKey.Allow("EncryptNotifications", KeyUse.Envelope)];

    /// <summary>
    /// The topic policy every platform topic starts with: TLS only for everyone, and the stack's account manages,
    /// subscribes to and publishes to it.
    /// </summary>
    public static IDataAwsIamPolicyDocumentStatement[] AccountTopicStatements(StackContext context, string topicArn) =>
    [
        Policy.Deny("DenyInsecureTransport", ["sns:Publish", "sns:Subscribe"], [topicArn],
            [Policy.When("Bool", "aws:SecureTransport", "false")], Policy.Everyone()),
        Policy.Allow("AccountManagesTopic",
            ["sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:Publish"],
            [topicArn], Policy.Principal("AWS", context.AccountRoot)),
    ];

    /// <summary>Creates the topic, its policy and subscriptions.</summary>
    public AlertsTopic(Construct scope, string id, AlertsTopicProps props) : base(scope, id)
    {
        EncryptionKey = props.EncryptionKey;
        Topic = new SnsTopic(this, "topic", new SnsTopicConfig
        {
            Name = props.TopicName,
            KmsMasterKeyId = props.EncryptionKey.Arn,
        });
        var context = StackContext.Of(scope);
        var topicArn = context.ServiceArn("sns", props.TopicName);
        var policy = Policy.Document(this, "policy-document",
        [
            .. AccountTopicStatements(context, topicArn),
            Policy.Allow("ServicesPublishAlerts", ["sns:Publish"], [topicArn],
                Policy.Principal("Service", PublishingServices),
                [Policy.When("StringEquals", "aws:SourceAccount", context.AccountId)]),
        ]);
        new SnsTopicPolicy(this, "policy", new SnsTopicPolicyConfig { Arn = Topic.Arn, Policy = policy.Json });
        foreach (var email in props.EmailSubscribers)
        {
            new SnsTopicSubscription(this, $"email-{email.Replace("@", "-at-")}", new SnsTopicSubscriptionConfig
            {
                TopicArn = Topic.Arn,
                Protocol = "email",
                Endpoint = email,
            });
        }
    }
}
