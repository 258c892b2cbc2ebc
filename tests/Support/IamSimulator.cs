using System.Text.RegularExpressions;

namespace MlopsTf.Tests.Support;

/// <summary>
/// Evaluates IAM requests against synthesized policies with an IAM policy simulator (tests/iam-simulator, installed
/// by scripts/setup.sh). Policies are the stack's <c>aws_iam_policy_document</c> data sources turned into IAM JSON,
/// with Terraform references replaced by concrete ARNs.
/// </summary>
public static partial class IamSimulator
{
    private static string ToolDir => Path.Combine(RepoPaths.Root, "tests", "iam-simulator");

    /// <summary>Runs every case (see tests/iam-simulator/simulate.mjs for their shape); returns each case's result by name.</summary>
    public static IReadOnlyDictionary<string, string> Run(IEnumerable<JsonObject> cases)
    {
        if (!Directory.Exists(Path.Combine(ToolDir, "node_modules", "@cloud-copilot", "iam-simulate")))
            throw new InvalidOperationException($"the IAM simulator is not installed in {ToolDir}; run make setup (or npm ci there)");
        var psi = new ProcessStartInfo("node", [Path.Combine(ToolDir, "simulate.mjs")])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = ToolDir,
        };
        psi.Environment["JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION"] = "1";
        using var p = Process.Start(psi)!;
        var input = new JsonArray([.. cases.Select(c => (JsonNode)c.DeepClone())]);
        p.StandardInput.Write(input.ToJsonString());
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"the IAM simulator failed ({p.ExitCode}): {stderr.Result}");
        var results = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in JsonNode.Parse(stdout.Result)!.AsArray())
        {
            var name = r!["name"]!.GetValue<string>();
            var result = r["result"]!.GetValue<string>();
            if (result == "Error") throw new InvalidOperationException($"case '{name}' is invalid: {r["errors"]?.ToJsonString()}");
            results[name] = result;
        }
        return results;
    }

    /// <summary>
    /// The policy document at <paramref name="pathSuffix"/> as IAM JSON, every <c>${type.name.arn}</c> reference
    /// replaced by <paramref name="arnOf"/>(the resource).
    /// </summary>
    public static JsonObject Document(StackDocument stack, string pathSuffix, Func<StackResource, string> arnOf)
    {
        var statements = new JsonArray();
        foreach (var s in stack.Statements(pathSuffix))
        {
            var iam = new JsonObject { ["Effect"] = s!["effect"]?.GetValue<string>() ?? "Allow" };
            if (s["sid"] is { } sid) iam["Sid"] = sid.GetValue<string>();
            foreach (var (tf, name) in new[] { ("actions", "Action"), ("not_actions", "NotAction"), ("resources", "Resource"), ("not_resources", "NotResource") })
            {
                if (s[tf] is JsonArray values)
                    iam[name] = new JsonArray([.. values.Select(v => (JsonNode)Resolve(stack, v!.GetValue<string>(), arnOf))]);
            }
            if (s["principals"] is JsonArray principals)
            {
                var principal = new JsonObject();
                foreach (var p in principals)
                    principal[p!["type"]!.GetValue<string>()] = new JsonArray([.. p["identifiers"]!.AsArray().Select(v => (JsonNode)Resolve(stack, v!.GetValue<string>(), arnOf))]);
                iam["Principal"] = principal;
            }
            if (s["condition"] is JsonArray conditions)
            {
                var condition = new JsonObject();
                foreach (var c in conditions)
                {
                    var test = c!["test"]!.GetValue<string>();
                    var block = condition[test] as JsonObject ?? (JsonObject)(condition[test] = new JsonObject());
                    block[c["variable"]!.GetValue<string>()] = new JsonArray([.. c["values"]!.AsArray().Select(v => (JsonNode)Resolve(stack, v!.GetValue<string>(), arnOf))]);
                }
                iam["Condition"] = condition;
            }
            statements.Add(iam);
        }
        return new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = statements };
    }

    private static string Resolve(StackDocument stack, string value, Func<StackResource, string> arnOf) =>
        TerraformReference.Replace(value, reference => reference is { Attribute: "arn" } && !reference.Type.StartsWith("data.", StringComparison.Ordinal)
            ? arnOf(stack.Target(reference) ?? throw new InvalidOperationException($"{value} references {reference.Type}.{reference.Name}, which the stack does not have"))
            : null);
}
