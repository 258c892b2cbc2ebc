namespace MlopsTf.Tests.Support;

/// <summary>
/// Writes a <c>terraform test</c> file with <c>mock_provider "aws"</c> beside a synthesized stack (in the test run's
/// temporary output, never in the repository's <c>cdktf.out</c>). The mock gives every resource type that exports an
/// <c>arn</c> an ARN-shaped default, because the provider validates ARN arguments, and policy documents valid JSON.
/// </summary>
public sealed class MockProviderTest
{
    private readonly StackDocument _stack;
    private readonly string _account;
    private readonly string _region;
    private readonly List<string> _asserts = new();

    public MockProviderTest(StackDocument stack, string account, string region)
    {
        _stack = stack;
        _account = account;
        _region = region;
    }

    /// <summary>The address of the resource whose construct path ends with <paramref name="pathSuffix"/>.</summary>
    public string A(string type, string pathSuffix) => _stack.Resource(type, pathSuffix).Address;

    /// <summary>All addresses of <paramref name="type"/> whose construct path contains <paramref name="pathPart"/>.</summary>
    public IReadOnlyList<string> All(string type, string pathPart = "") =>
        [.. _stack.Resources(type, pathPart)
            .Select(r => r.Address)
            .Order(StringComparer.Ordinal)];

    public MockProviderTest Assert(string condition, string message)
    {
        _asserts.Add($"  assert {{\n    condition     = {condition}\n    error_message = \"{message.Replace("\"", "\\\"")}\"\n  }}");
        return this;
    }

    /// <summary>Writes <c>mlopstf_mock.tftest.hcl</c> into <paramref name="stackDir"/>.</summary>
    public string Write(string stackDir, IReadOnlyDictionary<string, string[]> arnAttributes)
    {
        var sb = new StringBuilder();
        sb.AppendLine("mock_provider \"aws\" {");
        sb.AppendLine("  mock_data \"aws_iam_policy_document\" {");
        sb.AppendLine("    defaults = {");
        sb.AppendLine("      json = \"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":\\\"s3:GetObject\\\",\\\"Resource\\\":\\\"*\\\"}]}\"");
        sb.AppendLine("    }");
        sb.AppendLine("  }");
        var types = _stack.ResourceTypes.Where(arnAttributes.ContainsKey).Order(StringComparer.Ordinal);
        foreach (var type in types)
        {
            var service = type.Split('_')[1];
            var defaults = arnAttributes[type].Select(a => $"{a} = \"arn:aws:{service}:{_region}:{_account}:{type}/{a}/mock\"");
            sb.AppendLine($"  mock_resource \"{type}\" {{");
            sb.AppendLine($"    defaults = {{ {string.Join(", ", defaults)} }}");
            sb.AppendLine("  }");
        }
        sb.AppendLine("}");
        sb.AppendLine();
        sb.AppendLine("run \"plan_and_apply_with_mock_provider\" {");
        sb.AppendLine("  command = apply");
        foreach (var a in _asserts) sb.AppendLine(a);
        sb.AppendLine("}");
        var path = Path.Combine(stackDir, "mlopstf_mock.tftest.hcl");
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    /// <summary>
    /// Computed-only ARN attributes (<c>arn</c>, <c>*_arn</c>) of each resource type of the AWS provider, read from the
    /// provider schema.
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> ArnAttributes(string workDir)
    {
        Directory.CreateDirectory(workDir);
        File.WriteAllText(Path.Combine(workDir, "main.tf.json"),
            """{"terraform":{"required_providers":{"aws":{"source":"hashicorp/aws","version":"5.100.0"}}}}""");
        var init = Terraform.Run(workDir, "init", "-input=false", "-no-color");
        if (init.ExitCode != 0) throw new InvalidOperationException($"terraform init for the schema failed:\n{init.Output}");
        var schema = Terraform.Run(workDir, "providers", "schema", "-json");
        if (schema.ExitCode != 0) throw new InvalidOperationException($"terraform providers schema failed:\n{schema.Output}");
        var resources = JsonNode.Parse(schema.Stdout)!["provider_schemas"]!["registry.terraform.io/hashicorp/aws"]!["resource_schemas"]!.AsObject();
        return resources
            .Select(kv => (Type: kv.Key, Attributes: (kv.Value!["block"]!["attributes"] as JsonObject ?? [])
                .Where(a => (a.Key == "arn" || a.Key.EndsWith("_arn", StringComparison.Ordinal))
                    && a.Value!["computed"]?.GetValue<bool>() == true && a.Value["optional"]?.GetValue<bool>() != true
                    && a.Value["type"]?.GetValueKind() == System.Text.Json.JsonValueKind.String)
                .Select(a => a.Key).Order(StringComparer.Ordinal).ToArray()))
            .Where(x => x.Attributes.Length > 0)
            .ToDictionary(x => x.Type, x => x.Attributes);
    }
}
