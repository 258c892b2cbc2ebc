using System.Text.Json.Nodes;

namespace MlopsTf.PlanGuard;

/// <summary>What a plan does to one resource.</summary>
/// <param name="Address">Resource address.</param>
/// <param name="Type">Resource type.</param>
/// <param name="Action"><c>create</c>, <c>update</c>, <c>replace</c> or <c>delete</c>.</param>
public sealed record ResourceChange(string Address, string Type, string Action);

/// <summary>The changes of one plan and which of them need explicit approval.</summary>
public sealed record PlanAnalysis(string Stack, IReadOnlyList<ResourceChange> Changes, IReadOnlyList<ResourceChange> Destructive)
{
    /// <summary>Resource types whose replacement or deletion loses data or identity.</summary>
    public static readonly IReadOnlySet<string> StatefulTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "aws_s3_bucket", "aws_kms_key", "aws_dynamodb_table", "aws_sagemaker_domain", "aws_sagemaker_feature_group",
        "aws_sagemaker_model_package_group", "aws_ecr_repository", "aws_cloudwatch_log_group",
    };

    /// <summary>Changes of one action, in address order.</summary>
    public IReadOnlyList<ResourceChange> Of(string action) => [.. Changes.Where(c => c.Action == action).OrderBy(c => c.Address, StringComparer.Ordinal)];

    /// <summary>Reads the JSON that <c>terraform show -json &lt;planfile&gt;</c> writes.</summary>
    public static PlanAnalysis FromPlanJson(string stack, string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidDataException($"the plan is not JSON ({e.Message}); pass the output of `terraform show -json <planfile>`", e);
        }
        if (root?["format_version"] is null || root["resource_changes"] is not JsonArray && root["planned_values"] is null)
            throw new InvalidDataException("the JSON is not a Terraform plan (no format_version / resource_changes); pass the output of `terraform show -json <planfile>`");

        var changes = new List<ResourceChange>();
        foreach (var rc in root["resource_changes"]?.AsArray() ?? [])
        {
            if (rc?["mode"]?.GetValue<string>() != "managed") continue;
            var actions = rc["change"]!["actions"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
            var action = actions switch
            {
                ["create"] => "create",
                ["update"] => "update",
                ["delete"] => "delete",
                ["delete", "create"] or ["create", "delete"] => "replace",
                _ => null,
            };
            if (action is not null)
                changes.Add(new ResourceChange(rc["address"]!.GetValue<string>(), rc["type"]!.GetValue<string>(), action));
        }
        var destructive = changes.Where(c => c.Action is "replace" or "delete" && StatefulTypes.Contains(c.Type))
            .OrderBy(c => c.Address, StringComparer.Ordinal).ToList();
        return new PlanAnalysis(stack, changes, destructive);
    }
}
