namespace MlopsTf.Tests.Support;

/// <summary>
/// Tests that call into the jsii runtime (constructing or synthesizing constructs) run in this one collection, one at a
/// time, and share the single synthesized app.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class JsiiCollection
{
    public const string Name = "jsii";
}
