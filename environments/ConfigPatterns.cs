namespace MlopsTf.Environments;

/// <summary>Patterns shared by the configuration validators.</summary>
internal static partial class ConfigPatterns
{
    /// <summary>An EventBridge cron(...) or rate(...) expression.</summary>
    [GeneratedRegex(@"^(cron\([^()]+\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\))$")]
    public static partial Regex Schedule();

    /// <summary>A cron(...) expression (Glue, Application Auto Scaling and Model Monitor take only these).</summary>
    [GeneratedRegex(@"^cron\([^()]+\)$")]
    public static partial Regex Cron();

    /// <summary>A container image tag.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    public static partial Regex ImageTag();

    /// <summary>An immutable image tag: well-formed and not <c>latest</c>.</summary>
    public static bool IsImmutableTag(string tag) => ImageTag().IsMatch(tag) && tag != "latest";
}
