namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// The model package the pipeline registers names the inference image (a repository the stack's models pull from),
/// never the training image: a package deploys with the image it names, and the training image serves nothing.
/// </summary>
public sealed class RegisteredImageRule() : ServiceRule(
    "MLOPSTF-AWS-032",
    "Registered model packages use the inference image the stack's models serve, not the training image",
    "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ModelPackageContainerDefinition.html")
{
    /// <inheritdoc />
    public override IEnumerable<PolicyFinding> Evaluate(StackDocument stack)
    {
        var serving = stack.Resources("aws_sagemaker_model").SelectMany(SageMakerHosting.Images)
            .Select(i => EcrImages.Parse(stack, i)?.Repository.Address).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var training = TrainingJobs.All(stack).Select(j => j.Image?.Repository.Address).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var trainingImages = TrainingJobs.All(stack).Select(j => TerraformValues.Text(j.State.Parameter("AlgorithmSpecification/TrainingImage"))).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var state in StateMachines.States(stack).Where(s => s.Calls("sagemaker", "createModelPackage")))
        {
            var containers = (state.Parameter("InferenceSpecification/Containers") as System.Text.Json.Nodes.JsonArray) ?? [];
            foreach (var (container, i) in containers.Select((c, i) => (c, i)))
            {
                var image = TerraformValues.Text(container?["Image"]);
                if (image is null) continue;
                var where = $"{state.Label} Parameters.InferenceSpecification.Containers[{i}].Image = {image}";
                var repository = EcrImages.Parse(stack, image)?.Repository;
                if (trainingImages.Contains(image) || (repository is not null && training.Contains(repository.Address) && !serving.Contains(repository.Address)))
                    yield return Finding(stack, state.Machine, $"{where} is the training job's image, which the deployed models do not serve",
                        $"register the inference image ({string.Join(", ", serving.Select(a => $"${{{a}.repository_url}}:<tag>"))}) that the stack's aws_sagemaker_model resources pull");
                else if (repository is not null && serving.Count > 0 && !serving.Contains(repository.Address))
                    yield return Finding(stack, state.Machine, $"{where} is from {repository.Path}, which no aws_sagemaker_model of the stack pulls from",
                        "register an image of the repository the stack's models serve");
            }
        }
    }
}
