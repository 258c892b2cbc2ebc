namespace MlopsTf.Constructs.Policies.Rules;

/// <summary>
/// CloudTrail trails cover every Region and global service events, validate their log files and encrypt them with a
/// customer managed key. Mirrors CKV_AWS_67, CKV_AWS_36, CKV_AWS_35, AVD-AWS-0014, AVD-AWS-0016, AVD-AWS-0015.
/// </summary>
public sealed class CloudTrailRule() : ResourceRule(
    "MLOPSTF-CT-001",
    "CloudTrail trails cover every Region, validate log files and use a customer managed key",
    "CKV_AWS_67, CKV_AWS_36, CKV_AWS_35, AVD-AWS-0014, AVD-AWS-0016, AVD-AWS-0015",
    "aws_cloudtrail")
{
    /// <inheritdoc />
    protected override IEnumerable<Violation> Check(StackDocument stack, StackResource trail)
    {
        if (!trail.True("is_multi_region_trail"))
            yield return new("the trail records one Region only", "set is_multi_region_trail = true");
        if (trail.Body["include_global_service_events"] is JsonValue global && global.TryGetValue<bool>(out var on) && !on)
            yield return new("the trail leaves out global service events (IAM, STS, CloudFront)", "leave include_global_service_events at true");
        if (!trail.True("enable_log_file_validation"))
            yield return new("log file validation is off, so deleted or edited log files go unnoticed", "set enable_log_file_validation = true");
        if (string.IsNullOrEmpty(trail.String("kms_key_id")))
            yield return new("log files are encrypted with S3's keys only", "set kms_key_id to a customer managed key whose policy lets CloudTrail use it for this trail");
        if (trail.Body["enable_logging"] is JsonValue logging && logging.TryGetValue<bool>(out var enabled) && !enabled)
            yield return new("logging is stopped", "leave enable_logging at true");
    }
}
