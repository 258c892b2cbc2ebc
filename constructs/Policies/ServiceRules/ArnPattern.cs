using System.Text.RegularExpressions;

namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// IAM's wildcard matching (<c>*</c> any run of characters, <c>?</c> one character) and whether two such patterns can
/// match a common string: the test for "can this statement's resource ever be one of the action's resource types".
/// </summary>
public static partial class ArnPattern
{
    /// <summary>Whether <paramref name="text"/> matches the IAM pattern <paramref name="pattern"/>.</summary>
    public static bool GlobMatches(string pattern, string text) => Intersects(pattern, Escape(text));

    /// <summary>
    /// An AWS ARN format (<c>arn:${Partition}:s3:::${BucketName}/${ObjectName}</c>) as a pattern: every placeholder is
    /// a non-empty run of characters.
    /// </summary>
    public static string FromAwsFormat(string format) => Placeholder().Replace(Escape(format), "?*");

    /// <summary>Whether some string matches both patterns (<c>*</c> and <c>?</c> wildcards; <c>\</c> escapes).</summary>
    public static bool Intersects(string a, string b)
    {
        var x = Tokens(a);
        var y = Tokens(b);
        var memo = new Dictionary<(int, int), bool>();
        bool Match(int i, int j)
        {
            if (memo.TryGetValue((i, j), out var known)) return known;
            bool result;
            if (i == x.Count && j == y.Count) result = true;
            else if (i < x.Count && x[i] == Star) result = Match(i + 1, j) || (j < y.Count && Match(i, j + 1));
            else if (j < y.Count && y[j] == Star) result = Match(i, j + 1) || (i < x.Count && Match(i + 1, j));
            else if (i == x.Count || j == y.Count) result = false;
            else result = (x[i] == One || y[j] == One || x[i] == y[j]) && Match(i + 1, j + 1);
            return memo[(i, j)] = result;
        }
        return Match(0, 0);
    }

    private const int Star = -1;
    private const int One = -2;

    private static List<int> Tokens(string pattern)
    {
        var tokens = new List<int>(pattern.Length);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length) tokens.Add(char.ToLowerInvariant(pattern[++i]));
            else if (c == '*') { if (tokens.Count == 0 || tokens[^1] != Star) tokens.Add(Star); }
            else if (c == '?') tokens.Add(One);
            else tokens.Add(char.ToLowerInvariant(c));
        }
        return tokens;
    }

    private static string Escape(string literal) => literal.Replace("\\", "\\\\").Replace("*", "\\*").Replace("?", "\\?");

    [GeneratedRegex(@"\$\{[A-Za-z0-9]+\}")]
    private static partial Regex Placeholder();
}
