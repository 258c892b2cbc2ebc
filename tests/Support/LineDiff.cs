namespace MlopsTf.Tests.Support;

/// <summary>A compact line diff: common head and tail are skipped, the changed middle is shown with context.</summary>
public static class LineDiff
{
    public static string Render(string expected, string actual, int context = 3, int maxLines = 60)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var head = 0;
        while (head < a.Length && head < b.Length && a[head] == b[head]) head++;
        var tail = 0;
        while (tail < a.Length - head && tail < b.Length - head && a[^(tail + 1)] == b[^(tail + 1)]) tail++;

        var sb = new StringBuilder();
        var from = Math.Max(0, head - context);
        sb.AppendLine($"@@ line {head + 1}: -{a.Length - head - tail} +{b.Length - head - tail} lines @@");
        var shown = 0;
        for (var i = from; i < head; i++) sb.AppendLine("  " + a[i]);
        for (var i = head; i < a.Length - tail && shown++ < maxLines; i++) sb.AppendLine("- " + a[i]);
        for (var i = head; i < b.Length - tail && shown++ < maxLines * 2; i++) sb.AppendLine("+ " + b[i]);
        for (var i = b.Length - tail; i < Math.Min(b.Length, b.Length - tail + context); i++) sb.AppendLine("  " + b[i]);
        if (shown >= maxLines) sb.AppendLine("  … (diff truncated; compare the files)");
        return sb.ToString();
    }
}
