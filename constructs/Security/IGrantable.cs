namespace MlopsTf.Constructs.Security;

/// <summary>A principal that grants can be given to: it receives them as named inline policies.</summary>
public interface IGrantable
{
    /// <summary>The principal's ARN.</summary>
    string Arn { get; }

    /// <summary>Adds an inline policy named <paramref name="name"/> holding <paramref name="statements"/>.</summary>
    IamRolePolicy AddPolicy(string name, params IDataAwsIamPolicyDocumentStatement[] statements);
}
