namespace MlopsTf.Tests.Support;

/// <summary>A throw-away stack to construct one construct in, for prop-validation tests.</summary>
public static class Scratch
{
    public static TerraformStack Stack() => new(Testing.App(), "scratch");

    public static CustomerManagedKey Key(TerraformStack stack, string id = "key") => new(stack, id, new CustomerManagedKeyProps
    {
        Alias = id,
        Description = "test",
        AccountId = "111122223333",
        Region = "us-east-1",
    });

    /// <summary>Asserts that <paramref name="build"/> throws an ArgumentException mentioning every fragment.</summary>
    public static void Rejects(Action build, params string[] fragments)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(build);
        foreach (var fragment in fragments) Assert.Contains(fragment, ex.Message);
    }
}
