namespace MlopsTf.Constructs.Common;

/// <summary>Short-hands for building typed IAM policy statements for <see cref="DataAwsIamPolicyDocument"/>.</summary>
public static class Policy
{
    /// <summary>An Allow statement.</summary>
    public static DataAwsIamPolicyDocumentStatement Allow(string sid, string[] actions, string[] resources,
        IDataAwsIamPolicyDocumentStatementPrincipals[]? principals = null,
        IDataAwsIamPolicyDocumentStatementCondition[]? conditions = null) => new()
    {
        Sid = sid,
        Effect = "Allow",
        Actions = actions,
        Resources = resources,
        Principals = principals,
        Condition = conditions,
    };

    /// <summary>A Deny statement; resource policies pass <paramref name="principals"/>, identity policies do not.</summary>
    public static DataAwsIamPolicyDocumentStatement Deny(string sid, string[] actions, string[] resources,
        IDataAwsIamPolicyDocumentStatementCondition[] conditions,
        IDataAwsIamPolicyDocumentStatementPrincipals[]? principals = null) => new()
    {
        Sid = sid,
        Effect = "Deny",
        Actions = actions,
        Resources = resources,
        Principals = principals,
        Condition = conditions,
    };

    /// <summary>A principal of the given type (<c>AWS</c>, <c>Service</c>, <c>Federated</c>, or <c>*</c>).</summary>
    public static IDataAwsIamPolicyDocumentStatementPrincipals[] Principal(string type, params string[] identifiers) =>
        [new DataAwsIamPolicyDocumentStatementPrincipals { Type = type, Identifiers = identifiers }];

    /// <summary>
    /// Every principal, written <c>{"AWS": "*"}</c> (which IAM treats the same as <c>"*"</c>); only for Deny statements.
    /// </summary>
    public static IDataAwsIamPolicyDocumentStatementPrincipals[] Everyone() => Principal("AWS", "*");

    /// <summary>A condition on one variable.</summary>
    public static DataAwsIamPolicyDocumentStatementCondition When(string test, string variable, params string[] values) =>
        new() { Test = test, Variable = variable, Values = values };

    /// <summary>A policy document data source holding <paramref name="statements"/>.</summary>
    public static DataAwsIamPolicyDocument Document(Construct scope, string id, params IDataAwsIamPolicyDocumentStatement[] statements) =>
        new(scope, id, new DataAwsIamPolicyDocumentConfig { Statement = statements });

    /// <summary>
    /// The statements in order, each object once, those sharing an id merged into the first of them with the union of
    /// their resources; statements that share an id must grant the same actions under the same conditions.
    /// </summary>
    public static IReadOnlyList<IDataAwsIamPolicyDocumentStatement> MergeBySid(IEnumerable<IDataAwsIamPolicyDocumentStatement> statements)
    {
        var merged = new List<IDataAwsIamPolicyDocumentStatement>();
        var bySid = new Dictionary<string, int>(StringComparer.Ordinal);
        var seen = new HashSet<IDataAwsIamPolicyDocumentStatement>(ReferenceEqualityComparer.Instance);
        foreach (var statement in statements)
        {
            // The same statement object (tasks built from one template) is granted once; its tokens would not compare equal.
            if (!seen.Add(statement)) continue;
            if (statement.Sid is not { } sid || !bySid.TryGetValue(sid, out var index))
            {
                if (statement.Sid is { } id) bySid[id] = merged.Count;
                merged.Add(statement);
                continue;
            }
            var first = merged[index];
            if (first.Effect != statement.Effect || !(first.Actions ?? []).SequenceEqual(statement.Actions ?? [])
                || Conditions(first) != Conditions(statement) || first.Principals is not null || statement.Principals is not null)
                throw new ArgumentException($"Two policy statements named \"{sid}\" differ in effect, actions, conditions or principals; give them different ids.");
            merged[index] = new DataAwsIamPolicyDocumentStatement
            {
                Sid = sid,
                Effect = first.Effect,
                Actions = first.Actions,
                Resources = [.. (first.Resources ?? []).Concat(statement.Resources ?? []).Distinct(StringComparer.Ordinal)],
                Condition = first.Condition,
            };
        }
        return merged;
    }

    private static string Conditions(IDataAwsIamPolicyDocumentStatement statement) =>
        string.Join(";", ((statement.Condition as IEnumerable<IDataAwsIamPolicyDocumentStatementCondition>) ?? [])
            .Select(c => $"{c.Test}|{c.Variable}|{string.Join(",", c.Values)}"));
}
