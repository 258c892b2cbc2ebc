namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// IAM's wildcard matching (<c>*</c> any run of characters, <c>?</c> one character) and whether two such patterns can
/// match a common string: the test for "can this statement's resource ever be one of the action's resource types".
/// A third wildcard, <see cref="Segment"/>, stands for an ARN field the stack does not know (partition, Region,
/// account): any run of characters without a colon, so that an unknown partition cannot swallow the service part.
/// </summary>
public static partial class ArnPattern
{
    /// <summary>The wildcard for one unknown ARN field (no colon), for patterns built by code rather than read from IAM.</summary>
    public const char Segment = '\uE000';

    /// <summary>Whether <paramref name="text"/> matches the IAM pattern <paramref name="pattern"/>.</summary>
    public static bool GlobMatches(string pattern, string text) => Intersects(pattern, Escape(text));

    /// <summary>
    /// An AWS ARN format (<c>arn:${Partition}:s3:::${BucketName}/${ObjectName}</c>) as a pattern: the partition,
    /// Region and account are one ARN field each (<see cref="Segment"/>), every other placeholder a non-empty run of
    /// characters.
    /// </summary>
    public static string FromAwsFormat(string format) =>
        Placeholder().Replace(Escape(format), m => m.Value is "${Partition}" or "${Region}" or "${Account}" ? Segment.ToString() : "?*");

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
            else if (i < x.Count && x[i] == Field) result = Match(i + 1, j) || (j < y.Count && y[j] != ':' && Match(i, j + 1));
            else if (j < y.Count && y[j] == Field) result = Match(i, j + 1) || (i < x.Count && x[i] != ':' && Match(i + 1, j));
            else if (i == x.Count || j == y.Count) result = false;
            else result = (x[i] == One || y[j] == One || x[i] == y[j]) && Match(i + 1, j + 1);
            return memo[(i, j)] = result;
        }
        return Match(0, 0);
    }

    private const int Star = -1;
    private const int One = -2;
    private const int Field = -3;

    private static List<int> Tokens(string pattern)
    {
        var tokens = new List<int>(pattern.Length);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length) tokens.Add(char.ToLowerInvariant(pattern[++i]));
            else if (c == '*') { if (tokens.Count == 0 || tokens[^1] != Star) tokens.Add(Star); }
            else if (c == '?') tokens.Add(One);
            else if (c == Segment) { if (tokens.Count == 0 || tokens[^1] != Field) tokens.Add(Field); }
            else tokens.Add(char.ToLowerInvariant(c));
        }
        return tokens;
    }

    private static string Escape(string literal) => literal.Replace("\\", "\\\\").Replace("*", "\\*").Replace("?", "\\?");

    [GeneratedRegex(@"\$\{[A-Za-z0-9]+\}")]
    private static partial Regex Placeholder();
}
