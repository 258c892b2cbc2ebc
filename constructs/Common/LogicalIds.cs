using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace MlopsTf.Constructs.Common;

/// <summary>
/// The Terraform addresses CDKTF gives resources (cdktf 0.21's unique ids), so that a construct that moves a resource
/// can declare where it stood before. The ids of the constructs below the stack, <c>Default</c> left out; a single id
/// is the address as it is; otherwise the ids (an id that ends its predecessor dropped, <c>Resource</c> hidden) joined
/// with <c>_</c>, then <c>_</c> and the first 8 hex digits, upper case, of the MD5 of the ids joined with <c>/</c>.
/// A test checks this against every address of every synthesized stack.
/// </summary>
public static partial class LogicalIds
{
    private const int MaxHumanLength = 240;
    private const int MaxIdLength = 255;

    /// <summary>The address CDKTF gives a resource whose construct ids below the stack are <paramref name="ids"/>.</summary>
    public static string Of(IEnumerable<string> ids)
    {
        var path = ids.Where(id => id != "Default").ToList();
        if (path.Count == 0) throw new ArgumentException("A resource address needs at least one construct id below the stack.", nameof(ids));
        if (path.Count == 1 && Clean(path[0]) is { Length: <= MaxIdLength } single) return single;
        var hash = Convert.ToHexString(MD5.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('/', path))))[..8];
        var human = string.Join('_', WithoutRepeats(path).Where(id => id != "Resource").Select(Clean));
        return $"{human[..Math.Min(human.Length, MaxHumanLength)]}_{hash}";
    }

    /// <summary>The construct ids of <paramref name="scope"/> below its stack.</summary>
    public static IReadOnlyList<string> BelowStack(IConstruct scope)
    {
        var stack = TerraformStack.Of(scope).Node.Path;
        var path = scope.Node.Path;
        return path == stack ? [] : path[(stack.Length + 1)..].Split('/');
    }

    /// <summary>
    /// Declares that <paramref name="resource"/> stood at <paramref name="formerScope"/> (construct ids below the
    /// stack) / <paramref name="formerId"/> before: a <c>moved</c> block, so that the state of a deployed stack follows
    /// it instead of Terraform destroying one resource and creating another.
    /// </summary>
    public static void MovedFrom(TerraformResource resource, IReadOnlyList<string> formerScope, string formerId) =>
        resource.MoveFromId($"{resource.TerraformResourceType}.{Of([.. formerScope, formerId])}");

    private static string Clean(string id) => Disallowed().Replace(id, "");

    private static IEnumerable<string> WithoutRepeats(IEnumerable<string> ids)
    {
        string? previous = null;
        foreach (var id in ids)
        {
            if (previous is not null && previous.EndsWith(id, StringComparison.Ordinal)) continue;
            yield return previous = id;
        }
    }

    [GeneratedRegex("[^A-Za-z0-9_-]")]
    private static partial Regex Disallowed();
}
