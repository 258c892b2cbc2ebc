using System.Text.Encodings.Web;
using System.Text.Json.Serialization;

namespace MlopsTf.Constructs.StepFunctions;

/// <summary>
/// A typed subset of the Amazon States Language, serialized once to the state machine definition. Resource ARNs may
/// be Terraform tokens; they stay intact in the JSON and Terraform interpolates them.
/// </summary>
public sealed record StateMachineDefinition(string Comment, string StartAt, IReadOnlyDictionary<string, State> States)
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The definition as ASL JSON.</summary>
    public string ToJson()
    {
        foreach (var (name, state) in States)
        {
            foreach (var next in state.Transitions())
            {
                if (!States.ContainsKey(next))
                    throw new InvalidOperationException($"State \"{name}\" moves to \"{next}\", which is not defined.");
            }
        }
        if (!States.ContainsKey(StartAt))
            throw new InvalidOperationException($"StartAt \"{StartAt}\" is not a defined state.");
        var states = States.ToDictionary(kv => kv.Key, kv => (object)kv.Value);
        return JsonSerializer.Serialize(new { Comment, StartAt, States = states }, Options);
    }

    /// <summary>
    /// What the role running this definition needs: every task's permissions in state order, statements with the same
    /// id merged into one naming all their resources.
    /// </summary>
    public IReadOnlyList<IDataAwsIamPolicyDocumentStatement> Permissions() =>
        Policy.MergeBySid(States.Values.OfType<TaskState>().SelectMany(t => t.Permissions));
}

/// <summary>A state.</summary>
public abstract record State
{
    /// <summary>ASL state type.</summary>
    [JsonPropertyOrder(-10)]
    public abstract string Type { get; }

    /// <summary>Human-readable comment.</summary>
    public string? Comment { get; init; }

    /// <summary>Names of the states this one can move to.</summary>
    public abstract IEnumerable<string> Transitions();
}

/// <summary>A retry policy on a task.</summary>
/// <param name="ErrorEquals">Errors it applies to.</param>
/// <param name="IntervalSeconds">First delay.</param>
/// <param name="MaxAttempts">Attempts after the first.</param>
/// <param name="BackoffRate">Multiplier between attempts.</param>
public sealed record Retrier(string[] ErrorEquals, int IntervalSeconds, int MaxAttempts, double BackoffRate);

/// <summary>A catch on a task.</summary>
/// <param name="ErrorEquals">Errors it catches.</param>
/// <param name="Next">State to go to.</param>
/// <param name="ResultPath">Where the error goes in the state's input.</param>
public sealed record Catcher(string[] ErrorEquals, string Next, string ResultPath);

/// <summary>A Task state.</summary>
public sealed record TaskState : State
{
    /// <inheritdoc />
    public override string Type => "Task";

    /// <summary>Service integration ARN, e.g. <c>arn:aws:states:::lambda:invoke</c>.</summary>
    public required string Resource { get; init; }

    /// <summary>Input to the integration.</summary>
    public object? Parameters { get; init; }

    /// <summary>Shape of the result.</summary>
    public object? ResultSelector { get; init; }

    /// <summary>Where the result goes.</summary>
    public string? ResultPath { get; init; }

    /// <summary>Task timeout.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>Retries.</summary>
    public IReadOnlyList<Retrier>? Retry { get; init; }

    /// <summary>Catches.</summary>
    public IReadOnlyList<Catcher>? Catch { get; init; }

    /// <summary>Next state (null with <see cref="End"/>).</summary>
    public string? Next { get; init; }

    /// <summary>Whether the machine ends here.</summary>
    public bool? End { get; init; }

    /// <summary>The IAM statements the state machine's role needs to run this task (not part of the definition).</summary>
    [JsonIgnore]
    public IReadOnlyList<IDataAwsIamPolicyDocumentStatement> Permissions { get; init; } = [];

    /// <inheritdoc />
    public override IEnumerable<string> Transitions() =>
        new[] { Next }.Concat(Catch?.Select(c => c.Next) ?? []).OfType<string>();
}

/// <summary>A numeric comparison rule of a Choice state.</summary>
public sealed record ChoiceRule
{
    /// <summary>Path of the value compared.</summary>
    public required string Variable { get; init; }

    /// <summary>Passes when the value is at least this.</summary>
    public double? NumericGreaterThanEquals { get; init; }

    /// <summary>Passes when the value is at most this.</summary>
    public double? NumericLessThanEquals { get; init; }

    /// <summary>State to go to when the rule passes.</summary>
    public required string Next { get; init; }
}

/// <summary>A Choice state.</summary>
public sealed record ChoiceState : State
{
    /// <inheritdoc />
    public override string Type => "Choice";

    /// <summary>Rules, in order.</summary>
    public required IReadOnlyList<ChoiceRule> Choices { get; init; }

    /// <summary>State when no rule passes.</summary>
    public required string Default { get; init; }

    /// <inheritdoc />
    public override IEnumerable<string> Transitions() => Choices.Select(c => c.Next).Append(Default);
}

/// <summary>A Fail state.</summary>
public sealed record FailState : State
{
    /// <inheritdoc />
    public override string Type => "Fail";

    /// <summary>Error name.</summary>
    public required string Error { get; init; }

    /// <summary>Cause.</summary>
    public required string Cause { get; init; }

    /// <inheritdoc />
    public override IEnumerable<string> Transitions() => [];
}
