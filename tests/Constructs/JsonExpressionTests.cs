using HashiCorp.Cdktf.Providers.Aws.CloudwatchEventRule;
using HashiCorp.Cdktf.Providers.Aws.SnsTopic;

namespace MlopsTf.Tests.Constructs;

/// <summary>
/// JSON documents written as jsonencode expressions: what synth writes reads back as the document that went in,
/// including the characters CDKTF does not escape itself, and references stay references.
/// </summary>
[Collection(JsiiCollection.Name)]
public class JsonExpressionTests
{
    [Fact]
    public void A_document_round_trips_through_synth_with_references_and_awkward_strings()
    {
        var stack = Scratch.Stack("json-expression");
        var topic = new SnsTopic(stack, "topic", new SnsTopicConfig { Name = "t" });
        var source = new JsonObject
        {
            ["Comment"] = "quotes \" and backslashes \\. and %{directive} and ${literal} and a\nnewline",
            ["Resource"] = topic.Arn,
            ["Mixed"] = $"prefix-{topic.Arn}-suffix",
            ["Numbers"] = new JsonArray(0, 3, -2.5),
            ["Flags"] = new JsonArray(true, false),
            ["Empty"] = new JsonObject(),
            ["List"] = new JsonArray(),
            ["Nested"] = new JsonObject { ["Arn.$"] = "$.x", ["Regex"] = "auc=([0-9.]+)" },
        };
        new CloudwatchEventRule(stack, "rule", new CloudwatchEventRuleConfig { Name = "r", EventPattern = JsonExpression.Encode(source.ToJsonString(), "event_pattern") });
        var written = JsonNode.Parse(Testing.Synth(stack))!["resource"]!["aws_cloudwatch_event_rule"]!.AsObject().Single().Value!["event_pattern"]!.GetValue<string>();

        Assert.StartsWith("${jsonencode({", written);
        Assert.Contains("\"Resource\" = aws_sns_topic.topic.arn", written);
        var decoded = JsonExpression.Decode(written)!;
        var expected = source.DeepClone();
        expected["Resource"] = "${aws_sns_topic.topic.arn}";
        expected["Mixed"] = "prefix-${aws_sns_topic.topic.arn}-suffix";
        Assert.True(JsonNode.DeepEquals(expected, decoded), $"decoded {decoded.ToJsonString()}");
    }

    [Fact]
    public void A_null_in_the_document_is_refused_with_its_place()
    {
        var ex = Assert.Throws<ArgumentException>(() => JsonExpression.Encode("""{"a":[1,null]}""", "definition"));
        Assert.Contains("definition: $.a[1] is null", ex.Message);
    }

    [Theory]
    [InlineData("""{"a": 1}""")]
    [InlineData("${jsonencode({\"a\" = 1}")]
    [InlineData(null)]
    public void Only_a_whole_jsonencode_expression_decodes(string? value) => Assert.Null(JsonExpression.Decode(value));

    [Fact]
    public void A_malformed_expression_says_where()
    {
        var ex = Assert.Throws<FormatException>(() => JsonExpression.Decode("${jsonencode({\"a\" 1})}"));
        Assert.Contains("expected '='", ex.Message);
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("staging")]
    [InlineData("prod")]
    public void Definitions_patterns_and_dashboards_are_jsonencode_expressions_that_decode(string env)
    {
        var stack = SynthesizedApp.Instance.Document(env);
        var values = stack.Resources("aws_sfn_state_machine").Select(r => r.String("definition"))
            .Concat(stack.Resources("aws_cloudwatch_dashboard").Select(r => r.String("dashboard_body")))
            .Concat(stack.Resources("aws_cloudwatch_event_rule").Select(r => r.String("event_pattern")).Where(p => p!.Contains("${", StringComparison.Ordinal)))
            .ToList();
        Assert.True(values.Count >= 3, $"{env}: {values.Count} documents");
        Assert.All(values, v => Assert.IsAssignableFrom<JsonObject>(JsonExpression.Decode(v)));
    }
}
