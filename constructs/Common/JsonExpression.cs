namespace MlopsTf.Constructs.Common;

/// <summary>
/// JSON-shaped arguments written as Terraform expressions, so that both <c>cdktf synth</c> and <c>cdktf synth --hcl</c>
/// print valid configuration that plans the same: JSON documents held in a string argument (state machine definitions,
/// event patterns, dashboard bodies) as <c>jsonencode(...)</c>, whose references stay expressions (as a string,
/// the HCL printer splits them apart); and maps whose keys HCL cannot take bare (Glue's <c>--job-bookmark-option</c>)
/// as <c>tomap(...)</c>, whose keys are quoted. <see cref="Decode"/> reads either back (references as <c>${...}</c>
/// strings), for the policy rules and the tests.
/// </summary>
public static class JsonExpression
{
    private static readonly string[] Prefixes = ["${jsonencode(", "${tomap("];
    private const string Suffix = ")}";

    /// <summary>The <c>jsonencode</c> expression of <paramref name="json"/> (a JSON object or array, references as <c>${...}</c>).</summary>
    public static string Encode(string json, string field)
    {
        var document = JsonNode.Parse(json) ?? throw new ArgumentException($"{field}: the document is JSON null; pass an object or an array.", field);
        return Fn.Jsonencode(Value(document, field, "$"));
    }

    /// <summary>The <c>tomap</c> expression of <paramref name="map"/> (values may hold references).</summary>
    public static IDictionary<string, string> Map(IReadOnlyDictionary<string, string> map) =>
        Token.AsStringMap(Fn.Tomap(map.ToDictionary(p => p.Key, p => (object)Escape(p.Value))));

    /// <summary>Whether <paramref name="value"/> is a <c>jsonencode</c> or <c>tomap</c> expression.</summary>
    public static bool IsEncoded(string? value) =>
        value is not null && Prefixes.Any(p => value.StartsWith(p, StringComparison.Ordinal)) && value.EndsWith(Suffix, StringComparison.Ordinal);

    /// <summary>
    /// The JSON document of a synthesized <c>${jsonencode(...)}</c> value, or the object of a <c>${tomap(...)}</c>;
    /// null when <paramref name="value"/> is neither. A reference becomes the string <c>${reference}</c>, as it
    /// would stand in a JSON string.
    /// </summary>
    public static JsonNode? Decode(string? value)
    {
        if (!IsEncoded(value)) return null;
        var prefix = Prefixes.First(p => value!.StartsWith(p, StringComparison.Ordinal));
        var reader = new Reader(value![prefix.Length..^Suffix.Length]);
        var document = reader.Value();
        reader.End();
        return document;
    }

    // CDKTF 0.21 escapes newlines and "${" in the strings of an expression but not backslashes, quotes or "%{"; those
    // are escaped here so that Terraform reads back the same string (tokens hold none of them).
    private static object Value(JsonNode? node, string field, string at) => node switch
    {
        JsonObject o => o.ToDictionary(p => p.Key, p => Value(p.Value, field, $"{at}.{p.Key}")),
        JsonArray a => a.Select((item, i) => Value(item, field, $"{at}[{i}]")).ToArray(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Escape(v.GetValue<string>()),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => throw new ArgumentException($"{field}: {at} is null, which jsonencode cannot carry through CDKTF; leave the key out instead.", field),
    };

    private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("%{", "%%{");

    /// <summary>Reads the HCL that CDKTF writes inside <c>jsonencode(...)</c>: objects, lists, strings, numbers, booleans and references.</summary>
    private sealed class Reader(string text)
    {
        private int _at;

        public JsonNode? Value()
        {
            Skip();
            if (_at >= text.Length) throw Error("a value");
            switch (text[_at])
            {
                case '{':
                    _at++;
                    var o = new JsonObject();
                    while (!Next('}'))
                    {
                        Skip();
                        var key = String();
                        Skip();
                        Expect('=');
                        o[key] = Value();
                        Next(',');
                    }
                    return o;
                case '[':
                    _at++;
                    var a = new JsonArray();
                    while (!Next(']'))
                    {
                        a.Add(Value());
                        Next(',');
                    }
                    return a;
                case '"':
                    return JsonValue.Create(String());
                default:
                    var word = Word();
                    if (word is "true" or "false") return JsonValue.Create(word == "true");
                    if (word == "null") return null;
                    if (word[0] is '-' or (>= '0' and <= '9')) return JsonNode.Parse(word);
                    return JsonValue.Create($"${{{word}}}");
            }
        }

        public void End()
        {
            Skip();
            if (_at != text.Length) throw Error("the end of the expression");
        }

        private string String()
        {
            Expect('"');
            var result = new System.Text.StringBuilder();
            while (_at < text.Length && text[_at] != '"')
            {
                if (text[_at] == '\\' && _at + 1 < text.Length)
                {
                    result.Append(text[_at + 1] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', var c => c });
                    _at += 2;
                }
                else if (Ahead("$${") || Ahead("%%{"))
                {
                    result.Append(text[_at]).Append('{');
                    _at += 3;
                }
                else if (Ahead("${"))
                {
                    var close = text.IndexOf('}', _at);
                    if (close < 0) throw Error("the } that ends an interpolation");
                    result.Append(text, _at, close - _at + 1);
                    _at = close + 1;
                }
                else result.Append(text[_at++]);
            }
            Expect('"');
            return result.ToString();
        }

        private string Word()
        {
            var start = _at;
            while (_at < text.Length && !char.IsWhiteSpace(text[_at]) && text[_at] is not (',' or '}' or ']')) _at++;
            if (_at == start) throw Error("a value");
            return text[start.._at];
        }

        private bool Ahead(string s) => string.CompareOrdinal(text, _at, s, 0, s.Length) == 0;

        private bool Next(char c)
        {
            Skip();
            if (_at < text.Length && text[_at] == c)
            {
                _at++;
                return true;
            }
            return false;
        }

        private void Expect(char c)
        {
            if (!Next(c)) throw Error($"'{c}'");
        }

        private void Skip()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at])) _at++;
        }

        private FormatException Error(string expected) =>
            new($"jsonencode expression: expected {expected} at character {_at} of {(text.Length > 200 ? text[..200] + "…" : text)}");
    }
}
