namespace MlopsTf.Tests.Support;

/// <summary>A throw-away stack to construct one construct in, for prop-validation tests.</summary>
public static class Scratch
{
    public static readonly StackContext Context = new("t", "111122223333", "us-east-1");

    /// <summary>A stack with <see cref="Context"/> (or <paramref name="context"/>), as the real stacks have.</summary>
    public static TerraformStack Stack(string id = "scratch", StackContext? context = null, App? app = null)
    {
        var stack = new TerraformStack(app ?? Testing.App(), id);
        (context ?? Context).ApplyTo(stack);
        return stack;
    }

    public static CustomerManagedKey Key(TerraformStack stack, string id = "key") => new(stack, id, new CustomerManagedKeyProps
    {
        Alias = id,
        Description = "test",
    });

    /// <summary>Asserts that <paramref name="build"/> throws an ArgumentException mentioning every fragment.</summary>
    public static void Rejects(Action build, params string[] fragments)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(build);
        foreach (var fragment in fragments) Assert.Contains(fragment, ex.Message);
    }
}
