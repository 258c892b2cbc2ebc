namespace MlopsTf.Tests;

[Collection(JsiiCollection.Name)]
public class SnapshotTests
{
    public static readonly string[] StackNames = ["dev", "staging", "prod", "bootstrap-dev", "bootstrap-staging", "bootstrap-prod"];

    public static TheoryData<string> Stacks => new(StackNames);

    [Theory]
    [MemberData(nameof(Stacks))]
    public void Stack_matches_its_reviewed_snapshot(string stack) =>
        Snapshot.Verify(stack, SynthesizedApp.Instance.StackText(stack));

    [Fact]
    public void App_synthesizes_exactly_the_expected_stacks() =>
        Assert.Equal(StackNames.Order(), SynthesizedApp.Instance.StackNames);
}
