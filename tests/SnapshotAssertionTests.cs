namespace MlopsTf.Tests;

public sealed class SnapshotAssertionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mlopstf-snap-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Matching_output_passes_and_leaves_no_received_file()
    {
        File.WriteAllText(Path.Combine(_dir, "s.verified.json"), "{\n  \"a\": 1\n}\n");
        Snapshot.Verify("s", "{\n  \"a\": 1\n}", _dir);
        Assert.False(File.Exists(Path.Combine(_dir, "s.received.json")));
    }

    [Fact]
    public void Mismatch_writes_received_file_and_shows_a_diff()
    {
        File.WriteAllText(Path.Combine(_dir, "s.verified.json"), "{\n  \"a\": 1,\n  \"b\": 2\n}\n");
        if (Snapshot.AcceptRequested) return; // accepting would (correctly) overwrite instead of failing
        var ex = Assert.Throws<SnapshotMismatchException>(() => Snapshot.Verify("s", "{\n  \"a\": 1,\n  \"b\": 3\n}", _dir));
        Assert.Contains("-   \"b\": 2", ex.Message);
        Assert.Contains("+   \"b\": 3", ex.Message);
        Assert.Contains("make accept-snapshots", ex.Message);
        Assert.Equal("{\n  \"a\": 1,\n  \"b\": 3\n}\n", File.ReadAllText(Path.Combine(_dir, "s.received.json")));
        Assert.Equal("{\n  \"a\": 1,\n  \"b\": 2\n}\n", File.ReadAllText(Path.Combine(_dir, "s.verified.json")));
    }

    [Fact]
    public void Missing_snapshot_fails_rather_than_being_created()
    {
        if (Snapshot.AcceptRequested) return;
        var ex = Assert.Throws<SnapshotMismatchException>(() => Snapshot.Verify("new", "{}", _dir));
        Assert.Contains("No verified snapshot", ex.Message);
        Assert.False(File.Exists(Path.Combine(_dir, "new.verified.json")));
    }

    [Theory]
    [InlineData("1", null, true)]
    [InlineData("1", "", true)]
    [InlineData("1", "true", false)]
    [InlineData("true", null, false)]
    [InlineData(null, null, false)]
    public void Acceptance_needs_the_explicit_switch_and_is_refused_in_ci(string? accept, string? ci, bool expected) =>
        Assert.Equal(expected, Snapshot.ShouldAccept(accept, ci));
}
