namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// A role's inline policies together fit IAM's quota of 10,240 characters (white space not counted): past it
/// PutRolePolicy fails at apply with "Maximum policy size of 10240 bytes exceeded", after everything before it was
/// created. Each policy document is rendered the way the provider renders it (a one-element list as a string) and
/// every reference is counted at the length it will have: an ARN of the stack's account and Region with the name the
/// stack knows, a key id as a UUID, and <see cref="UnknownLength"/> characters for anything else.
/// </summary>
public sealed class IamInlinePolicySizeRule() : ServiceRule(
    "MLOPSTF-AWS-036",
    "A role's inline policies fit IAM's 10,240-character quota",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length")
{
    /// <summary>IAM's quota for the sum of a role's inline policies, in non-white-space characters.</summary>
    public const int RoleQuota = 10_240;

    /// <summary>Characters counted for a reference whose rendered length the stack does not know.</summary>
    public const int UnknownLength = 64;

    private static readonly (string Json, string Iam)[] Keys =
    [
        ("sid", "Sid"), ("effect", "Effect"), ("actions", "Action"), ("not_actions", "NotAction"), ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ];

    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        foreach (var role in stack.Resources("aws_iam_role"))
        {
            var policies = stack.Referencing("aws_iam_role_policy", "role", role).ToList();
            var size = policies.Sum(p => Size(stack, p));
            if (size > RoleQuota)
                yield return Finding(stack, role,
                    $"its {policies.Count} inline policies come to about {size} characters (references at their rendered length); IAM allows {RoleQuota} per role",
                    "move statements into a customer managed policy (6,144 characters each, 10 per role by default) or give the workload a role of its own");
        }
    }

    /// <summary>The non-white-space characters IAM counts for one inline policy.</summary>
    public static int Size(StackDocument stack, StackResource policy)
    {
        var text = policy.String("policy") ?? "";
        if (TerraformReference.Whole(text) is { Type: "data.aws_iam_policy_document" })
            text = Render(stack.PolicyStatements(text));
        text = TerraformReference.Replace(text, r => new string('x', Length(stack, r)));
        return text.Count(c => !char.IsWhiteSpace(c));
    }

    private static string Render(JsonArray statements)
    {
        var rendered = new JsonArray();
        foreach (var statement in statements.OfType<JsonObject>())
        {
            var s = new JsonObject();
            foreach (var (json, iam) in Keys)
            {
                if (statement[json] is not { } value) continue;
                s[iam] = value is JsonArray { Count: 1 } one ? one[0]!.DeepClone() : value.DeepClone();
            }
            foreach (var (json, iam) in new[] { ("principals", "Principal"), ("not_principals", "NotPrincipal") })
            {
                if (statement[json] is not JsonArray principals) continue;
                var p = new JsonObject();
                foreach (var principal in principals.OfType<JsonObject>())
                    p[principal["type"]!.GetValue<string>()] = principal["identifiers"]!.DeepClone();
                s[iam] = p;
            }
            if (statement["condition"] is JsonArray conditions)
            {
                var c = new JsonObject();
                foreach (var condition in conditions.OfType<JsonObject>())
                {
                    var test = condition["test"]!.GetValue<string>();
                    var tests = c[test] as JsonObject ?? new JsonObject();
                    tests[condition["variable"]!.GetValue<string>()] = condition["values"]!.DeepClone();
                    c[test] = tests;
                }
                s["Condition"] = c;
            }
            rendered.Add(s);
        }
        return new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = rendered }.ToJsonString();
    }

    private static int Length(StackDocument stack, TerraformReference? reference)
    {
        if (reference is null || reference.Type.StartsWith("data.", StringComparison.Ordinal)) return UnknownLength;
        var target = stack.Target(reference);
        var name = target is null ? null : new[] { "name", "bucket", "function_name", "alarm_name", "model_package_group_name", "feature_group_name" }
            .Select(target.String).FirstOrDefault(v => v is not null && !TerraformReference.Unknown(v));
        return reference.Attribute switch
        {
            "arn" when reference.Type == "aws_kms_key" => "arn:aws:kms:us-east-1:123456789012:key/".Length + 36,
            "arn" when name is not null => ("arn:aws:" + reference.Type.Split('_')[1] + ":us-east-1:123456789012:").Length + name.Length + 16,
            "name" or "bucket" or "id" or "function_name" when name is not null => name.Length,
            "key_id" => 36,
            _ => UnknownLength,
        };
    }
}
