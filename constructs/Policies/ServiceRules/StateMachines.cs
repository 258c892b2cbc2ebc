namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>One state of a state machine's definition (nested Parallel and Map states included).</summary>
/// <param name="Machine">The <c>aws_sfn_state_machine</c>.</param>
/// <param name="Name">State name.</param>
/// <param name="Body">The state.</param>
/// <param name="Siblings">The states of the same <c>States</c> object (where <c>Next</c> points).</param>
public sealed record MachineState(StackResource Machine, string Name, JsonObject Body, JsonObject Siblings)
{
    /// <summary>The task's resource ARN, or null.</summary>
    public string? Resource => TerraformValues.Text(Body["Resource"]);

    /// <summary>The task's parameters, or null.</summary>
    public JsonObject? Parameters => Body["Parameters"] as JsonObject;

    /// <summary>The state <c>Next</c> names, or null.</summary>
    public MachineState? Next =>
        TerraformValues.Text(Body["Next"]) is { } next && Siblings[next] is JsonObject state ? new MachineState(Machine, next, state, Siblings) : null;

    /// <summary>Whether the state is a Task calling <paramref name="service"/>:<paramref name="api"/> (optimized or SDK integration, any pattern).</summary>
    public bool Calls(string service, string api)
    {
        if (Resource is not { } arn || TerraformValues.Text(Body["Type"]) != "Task") return false;
        var call = arn.Split(":::", 2) is [_, var rest] ? rest : null;
        if (call is null) return false;
        if (call.StartsWith("aws-sdk:", StringComparison.Ordinal)) call = call["aws-sdk:".Length..];
        var dot = call.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0) call = call[..dot];
        return string.Equals(call, $"{service}:{api}", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A parameter at <paramref name="path"/> (keys separated by '/'); null when absent or set from state input (<c>Key.$</c>).</summary>
    public JsonNode? Parameter(string path)
    {
        JsonNode? node = Parameters;
        foreach (var key in path.Split('/'))
            node = (node as JsonObject)?[key];
        return node;
    }

    /// <summary>How the state is named in a finding.</summary>
    public string Label => $"state {Name}";
}

/// <summary>The Step Functions state machines of a stack, read from their definition JSON.</summary>
public static class StateMachines
{
    /// <summary>Every state of every state machine whose definition is JSON.</summary>
    public static IEnumerable<MachineState> States(StackDocument stack)
    {
        foreach (var machine in stack.Resources("aws_sfn_state_machine"))
        {
            if (TerraformValues.ParseEmbedded(machine.String("definition")) is not JsonObject definition) continue;
            foreach (var state in Walk(machine, definition)) yield return state;
        }
    }

    /// <summary>The states of <paramref name="machine"/> (empty when its definition is not JSON).</summary>
    public static IEnumerable<MachineState> States(StackResource machine) =>
        TerraformValues.ParseEmbedded(machine.String("definition")) is JsonObject definition ? Walk(machine, definition) : [];

    /// <summary>
    /// The first Lambda invocation after <paramref name="state"/> on its <c>Next</c> chain (the evaluation step after
    /// training), or null when a Choice or the end comes first.
    /// </summary>
    public static MachineState? NextLambda(MachineState state)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var next = state.Next; next is not null && seen.Add(next.Name); next = next.Next)
        {
            if (next.Calls("lambda", "invoke")) return next;
            if (TerraformValues.Text(next.Body["Type"]) is not ("Task" or "Pass")) return null;
        }
        return null;
    }

    /// <summary>The Lambda function a <c>lambda:invoke</c> state calls (by reference or name), or null.</summary>
    public static StackResource? Function(StackDocument stack, MachineState invoke)
    {
        var value = TerraformValues.Text(invoke.Parameter("FunctionName"));
        if (TerraformReference.Whole(value) is { Type: "aws_lambda_function" } reference) return stack.Target(reference);
        return value is null || TerraformReference.Unknown(value) ? null
            : stack.Resources("aws_lambda_function").FirstOrDefault(f => f.String("function_name") == value || value.EndsWith($":function:{f.String("function_name")}", StringComparison.Ordinal));
    }

    /// <summary>An environment variable of a Lambda function, or null.</summary>
    public static string? Environment(StackResource function, string variable) =>
        TerraformValues.Text(TerraformValues.Block(function.Body["environment"])?["variables"]?[variable]);

    private static IEnumerable<MachineState> Walk(StackResource machine, JsonObject scope)
    {
        if (scope["States"] is not JsonObject states) yield break;
        foreach (var (name, node) in states)
        {
            if (node is not JsonObject state) continue;
            yield return new MachineState(machine, name, state, states);
            foreach (var branch in (state["Branches"] as JsonArray)?.OfType<JsonObject>() ?? [])
                foreach (var nested in Walk(machine, branch)) yield return nested;
            foreach (var key in new[] { "ItemProcessor", "Iterator" })
                if (state[key] is JsonObject processor)
                    foreach (var nested in Walk(machine, processor)) yield return nested;
        }
    }
}
