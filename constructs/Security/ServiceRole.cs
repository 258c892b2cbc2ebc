namespace MlopsTf.Constructs.Security;

/// <summary>Props for <see cref="ServiceRole"/>.</summary>
public sealed record ServiceRoleProps
{
    /// <summary>Role name. The CI apply role may only manage roles named <c>&lt;project&gt;-&lt;env&gt;-*</c>.</summary>
    public required string RoleName { get; init; }

    /// <summary>The service principal that assumes the role, e.g. <c>sagemaker.amazonaws.com</c>; null when <see cref="AssumedByRoleArn"/> is set.</summary>
    public string? Service { get; init; }

    /// <summary>An IAM role that assumes this role instead of a service (e.g. a CI role running a promotion). Default: null.</summary>
    public string? AssumedByRoleArn { get; init; }

    /// <summary>What the role is for.</summary>
    public required string Description { get; init; }

    /// <summary>
    /// Whether only the stack's own account may make the service assume the role (<c>aws:SourceAccount</c>, against
    /// the confused deputy). Off for services that do not send it when assuming an execution role (Lambda, Glue).
    /// Default: false.
    /// </summary>
    public bool ScopeToSourceAccount { get; init; }
}

/// <summary>
/// An IAM role for one AWS service with least-privilege inline policies: each grant is its own named policy built
/// from a policy document, so a plan shows exactly which permission changed.
/// </summary>
public class ServiceRole : Construct, IGrantable
{
    private readonly HashSet<string> _policyNames = new(StringComparer.Ordinal);

    /// <summary>The role resource.</summary>
    public IamRole Role { get; }

    /// <summary>Role ARN.</summary>
    public string Arn => field ??= Role.Arn;

    /// <summary>Role name.</summary>
    public string Name => field ??= Role.Name;

    /// <summary>Creates the role with its trust policy.</summary>
    public ServiceRole(Construct scope, string id, ServiceRoleProps props) : base(scope, id)
    {
        if (props.RoleName.Length is 0 or > 64)
            throw new ArgumentException($"ServiceRoleProps.RoleName = \"{props.RoleName}\": IAM role names are 1-64 characters.");
        if ((props.Service is null) == (props.AssumedByRoleArn is null))
            throw new ArgumentException($"ServiceRoleProps for {props.RoleName}: set exactly one of Service (a service principal) and AssumedByRoleArn (a role).");
        var trust = Policy.Document(this, "trust", new DataAwsIamPolicyDocumentStatement
        {
            Sid = props.Service is null ? "AssumedByRole" : "AssumedByService",
            Effect = "Allow",
            Actions = ["sts:AssumeRole"],
            Principals = props.Service is { } service ? Policy.Principal("Service", service) : Policy.Principal("AWS", props.AssumedByRoleArn!),
            Condition = props.ScopeToSourceAccount
                ? new IDataAwsIamPolicyDocumentStatementCondition[] { Policy.When("StringEquals", "aws:SourceAccount", StackContext.Of(scope).AccountId) }
                : null,
        });
        Role = new IamRole(this, "role", new IamRoleConfig
        {
            Name = props.RoleName,
            Description = props.Description,
            AssumeRolePolicy = trust.Json,
            MaxSessionDuration = 3600,
        });
    }

    /// <summary>Adds an inline policy named <paramref name="name"/> holding <paramref name="statements"/>.</summary>
    public IamRolePolicy AddPolicy(string name, params IDataAwsIamPolicyDocumentStatement[] statements)
    {
        if (!_policyNames.Add(name))
            throw new ArgumentException($"ServiceRole {Node.Path} already has a policy named \"{name}\"; give each grant its own name.");
        if (statements.Length == 0)
            throw new ArgumentException($"ServiceRole {Node.Path}: policy \"{name}\" has no statements.");
        var document = Policy.Document(this, $"{name}-document", statements);
        return new IamRolePolicy(this, $"{name}-policy", new IamRolePolicyConfig
        {
            Name = name,
            Role = Role.Id,
            Policy = document.Json,
        });
    }

    /// <summary>Attaches a customer managed policy (e.g. a guardrail shared by several roles).</summary>
    public void AttachPolicy(string id, string policyArn) =>
        new IamRolePolicyAttachment(this, $"{id}-attachment", new IamRolePolicyAttachmentConfig { Role = Role.Name, PolicyArn = policyArn });
}
