namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>The Glue Data Catalog is encrypted with KMS where Glue is used. Mirrors CKV_AWS_94.</summary>
public sealed class GlueCatalogEncryptionRule() : PolicyRule(
    "MLOPSTF-GLUE-002",
    "The Glue Data Catalog is encrypted with KMS where Glue is used",
    "CKV_AWS_94")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        var usesGlue = stack.Resources("aws_glue_catalog_database").Concat(stack.Resources("aws_glue_job")).ToList();
        if (usesGlue.Count == 0) yield break;
        var settings = stack.Resources("aws_glue_data_catalog_encryption_settings").ToList();
        if (!settings.Any(s => s.Body["data_catalog_encryption_settings"]?["encryption_at_rest"]?["catalog_encryption_mode"]?.GetValue<string>() == "SSE-KMS"))
            yield return Finding(stack, usesGlue[0], "the Data Catalog is not encrypted with KMS", "add aws_glue_data_catalog_encryption_settings with SSE-KMS");
    }
}
