namespace MlopsTf.Constructs.Deployment;

/// <summary>Props for <see cref="AsyncNotifications"/>.</summary>
public sealed record AsyncNotificationsProps
{
    /// <summary>Endpoint name, prefix included; the topics are <c>&lt;endpoint&gt;-async-success</c> and <c>-async-error</c>.</summary>
    public required string EndpointName { get; init; }

    /// <summary>Key that encrypts the notifications.</summary>
    public required CustomerManagedKey Key { get; init; }
}

/// <summary>
/// The two topics an asynchronous endpoint notifies when a request succeeds or fails: KMS-encrypted, TLS only, managed by
/// the account; SageMaker publishes with the endpoint's execution role (<see cref="GrantPublish"/>).
/// </summary>
public sealed class AsyncNotifications : Construct
{
    /// <summary>The success topic.</summary>
    public SnsTopic Success { get; }

    /// <summary>The error topic.</summary>
    public SnsTopic Error { get; }

    private readonly CustomerManagedKey _key;
    private readonly string _endpointName;

    /// <summary>Creates both topics and their policies.</summary>
    public AsyncNotifications(Construct scope, string id, AsyncNotificationsProps props) : base(scope, id)
    {
        _key = props.Key;
        _endpointName = props.EndpointName;
        Success = Topic("success", $"{props.EndpointName}-async-success");
        Error = Topic("error", $"{props.EndpointName}-async-error");
    }

    /// <summary>Lets <paramref name="grantee"/> (the model's execution role) publish to both topics.</summary>
    public IamRolePolicy GrantPublish(IGrantable grantee) => grantee.AddPolicy($"{_endpointName}-async-publish",
        Policy.Allow("NotifyAsyncResults", ["sns:Publish"], [Success.Arn, Error.Arn]),
        _key.Allow("EncryptAsyncNotifications", KeyUse.Envelope));

    private SnsTopic Topic(string id, string name)
    {
        var topic = new SnsTopic(this, id, new SnsTopicConfig { Name = name, KmsMasterKeyId = _key.Arn });
        var context = StackContext.Of(this);
        new SnsTopicPolicy(this, $"{id}-policy", new SnsTopicPolicyConfig
        {
            Arn = topic.Arn,
            Policy = Policy.Document(this, $"{id}-policy-document", AlertsTopic.AccountTopicStatements(context, context.ServiceArn("sns", name))).Json,
        });
        return topic;
    }
}
