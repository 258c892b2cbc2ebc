using System.Runtime.CompilerServices;

namespace MlopsTf.Constructs.Common;

/// <summary>
/// What every construct of a stack shares: the name prefix of its resources and the account and region it deploys
/// to. A stack sets it once (<see cref="ApplyTo"/>); constructs read it from their scope (<see cref="Of"/>).
/// </summary>
public sealed record StackContext(string NamePrefix, string AccountId, string Region)
{
    // Keyed by the .NET objects themselves: a lookup costs no call into the jsii kernel, and a scope seen once is not
    // looked up again.
    private static readonly ConditionalWeakTable<IConstruct, StackContext> Known = new();

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
    public void ApplyTo(TerraformStack stack) => Known.AddOrUpdate(stack, this);

    /// <summary>The context of the stack <paramref name="scope"/> belongs to.</summary>
    public static StackContext Of(IConstruct scope)
    {
        if (Known.TryGetValue(scope, out var context)) return context;
        if (StackOf(scope) is not { } stack || !Known.TryGetValue(stack, out context))
            throw new InvalidOperationException(
                $"{scope.Node.Path} has no stack context (name prefix, account, region). Fix: create it in a stack that calls StackContext.ApplyTo(stack) before adding constructs, as MlopsStack and BootstrapStack do.");
        Known.AddOrUpdate(scope, context);
        return context;
    }

    private static TerraformStack? StackOf(IConstruct scope)
    {
        try
        {
            return TerraformStack.Of(scope);
        }
        catch (Exception)
        {
            return null; // not inside a stack: reported by the caller with the fix
        }
    }
}
