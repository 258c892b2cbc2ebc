using Constructs;
using HashiCorp.Cdktf.Providers.Aws.DataAwsIamPolicyDocument;

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
}
