namespace MlopsTf.Tests;

public class ResourceTableTests
{
    [Fact]
    public void Docs_name_the_construct_and_file_of_every_resource_type()
    {
        var table = ResourceTable.Build(SynthesizedApp.Instance.App);
        var file = Path.Combine(RepoPaths.Root, "docs", "resources.md");
        if (Environment.GetEnvironmentVariable("MLOPSTF_WRITE_DOCS") == "1") File.WriteAllText(file, table);
        var current = File.Exists(file) ? File.ReadAllText(file) : "";
        Assert.True(current == table, $"docs/resources.md is out of date with the construct tree; run make docs and review the diff.\n{LineDiff.Render(current, table)}");
    }

    [Fact]
    public void Every_resource_type_of_the_synthesized_stacks_is_in_the_table()
    {
        var table = ResourceTable.Build(SynthesizedApp.Instance.App);
        foreach (var stack in SynthesizedApp.Instance.StackNames)
        {
            var document = SynthesizedApp.Instance.Document(stack);
            foreach (var type in document.ResourceTypes)
                Assert.Contains($"| `{type}` |", table);
            foreach (var type in document.DataTypes)
                Assert.Contains($"| `data.{type}` |", table);
        }
    }
}
