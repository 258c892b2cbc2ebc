using Amazon.JSII.Runtime.Deputy;

namespace MlopsTf.Constructs.Policies;

/// <summary>
/// The validation <see cref="PolicyCheck.Attach"/> adds to a stack: runs the policy pack on it. Findings become
/// annotations, which CDKTF collects right after the validations (errors fail the synth), so it returns no messages
/// of its own.
/// </summary>
internal sealed class StackPolicyValidation(TerraformStack stack, string name, PolicyCheck check) : DeputyBase, IValidation
{
    public string[] Validate()
    {
        check.Evaluate(stack, name);
        return [];
    }
}
