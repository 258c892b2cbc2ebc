namespace MlopsTf.Tests.Support;

/// <summary>
/// A snapshot assertion with Verify's conventions (Verify.Xunit cannot restore on this registry): the committed
/// <c>NAME.verified.json</c> is the expectation; on a mismatch <c>NAME.received.json</c> is written beside it and the
/// failure shows a line diff. Snapshots are accepted only when <c>MLOPSTF_ACCEPT_SNAPSHOTS=1</c> is set outside CI
/// (<c>make accept-snapshots</c>); CI never accepts.
/// </summary>
public static class Snapshot
{
    public const string AcceptVariable = "MLOPSTF_ACCEPT_SNAPSHOTS";

    public static bool AcceptRequested =>
        ShouldAccept(Environment.GetEnvironmentVariable(AcceptVariable), Environment.GetEnvironmentVariable("CI"));

    /// <summary>Accept only on an explicit request, and never when a CI variable is present.</summary>
    public static bool ShouldAccept(string? acceptValue, string? ciValue) => acceptValue == "1" && string.IsNullOrEmpty(ciValue);

    public static void Verify(string name, string actual, string? directory = null)
    {
        directory ??= RepoPaths.Snapshots;
        var verified = Path.Combine(directory, $"{name}.verified.json");
        var received = Path.Combine(directory, $"{name}.received.json");
        actual = Normalize(actual);

        if (File.Exists(verified) && Normalize(File.ReadAllText(verified)) == actual)
        {
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        if (AcceptRequested)
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(verified, actual);
            if (File.Exists(received)) File.Delete(received);
            return;
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(received, actual);
        var message = new StringBuilder();
        if (!File.Exists(verified))
        {
            message.AppendLine($"No verified snapshot {Relative(verified)}; the output is in {Relative(received)}.");
        }
        else
        {
            message.AppendLine($"Snapshot {Relative(verified)} does not match the output ({Relative(received)}):");
            message.AppendLine(LineDiff.Render(Normalize(File.ReadAllText(verified)), actual));
        }
        message.AppendLine($"Review the change; to accept it run `make accept-snapshots` (sets {AcceptVariable}=1; refused when CI is set).");
        throw new SnapshotMismatchException(message.ToString());
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n").TrimEnd('\n') + "\n";

    private static string Relative(string path) => Path.GetRelativePath(RepoPaths.Root, path);
}

public sealed class SnapshotMismatchException(string message) : Exception(message);
