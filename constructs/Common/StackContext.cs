namespace MlopsTf.Constructs.Common;

/// <summary>
/// What every construct of a stack shares: the name prefix of its resources and the account and region it deploys
/// to. A stack sets it once (<see cref="ApplyTo"/>); constructs read it from their scope (<see cref="Of"/>).
/// </summary>
public sealed record StackContext(string NamePrefix, string AccountId, string Region)
{
    private const string ContextKey = "mlopstf:stack-context";

    /// <summary>The partition of <see cref="Region"/>.</summary>
    public string Partition => Arn.Partition(Region);

    /// <summary>A resource name under the stack's prefix: <c>&lt;prefix&gt;-&lt;suffix&gt;</c>.</summary>
    public string Name(string suffix) => $"{NamePrefix}-{suffix}";

    /// <summary>The ARN of a regional resource of this account: <c>arn:partition:service:region:account:resource</c>.</summary>
    public string ServiceArn(string service, string resource) => $"arn:{Partition}:{service}:{Region}:{AccountId}:{resource}";

    /// <summary>The ARN of an IAM resource of this account (<c>role/…</c>, <c>policy/…</c>).</summary>
    public string IamArn(string resource) => $"arn:{Partition}:iam::{AccountId}:{resource}";

    /// <summary>The account's root principal, which delegates to IAM policies.</summary>
    public string AccountRoot => Arn.AccountRoot(Region, AccountId);

    /// <summary>An S3 bucket's ARN in this partition.</summary>
    public string BucketArn(string bucket) => Arn.Bucket(Region, bucket);

    /// <summary>Makes this the context of every construct below <paramref name="stack"/>; call before adding any.</summary>
    public void ApplyTo(Construct stack) => stack.Node.SetContext(ContextKey, JsonSerializer.Serialize(this));

    /// <summary>The context of the stack <paramref name="scope"/> belongs to.</summary>
    public static StackContext Of(IConstruct scope) =>
        scope.Node.TryGetContext(ContextKey) is string json && JsonSerializer.Deserialize<StackContext>(json) is { } context
            ? context
            : throw new InvalidOperationException(
                $"{scope.Node.Path} has no stack context (name prefix, account, region). Fix: create it in a stack that calls StackContext.ApplyTo(stack) before adding constructs, as MlopsStack and BootstrapStack do.");
}
