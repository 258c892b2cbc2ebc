namespace MlopsTf.Constructs.SageMaker;

/// <summary>What SageMaker accepts an instance type for.</summary>
[Flags]
public enum InstanceUse
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Real-time endpoint variants (<c>ProductionVariant.InstanceType</c>).</summary>
    Hosting = 1,

    /// <summary>Training jobs (<c>ResourceConfig.InstanceType</c>).</summary>
    Training = 2,

    /// <summary>Processing and Model Monitor jobs (<c>ProcessingClusterConfig.InstanceType</c>).</summary>
    Processing = 4,
}

/// <summary>One SageMaker instance type.</summary>
/// <param name="Name">e.g. <c>ml.m5.xlarge</c>.</param>
/// <param name="Vcpus">vCPUs: the endpoint's <c>CPUUtilization</c> runs from 0 to 100 × this.</param>
/// <param name="Gpus">GPUs.</param>
/// <param name="InstanceStorage">Has NVMe instance storage (hardware-encrypted; CreateEndpointConfig then refuses a KmsKeyId).</param>
/// <param name="Uses">What SageMaker accepts it for.</param>
public sealed record InstanceType(string Name, int Vcpus, int Gpus, bool InstanceStorage, InstanceUse Uses);

/// <summary>
/// The SageMaker instance types this platform knows, with their vCPUs, GPUs and instance storage (the EC2 hardware
/// they run on) and the uses SageMaker's API accepts them for (the valid values of <c>ProductionVariant</c>,
/// <c>ResourceConfig</c> and <c>ProcessingClusterConfig</c>:
/// https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProductionVariant.html,
/// https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ResourceConfig.html,
/// https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProcessingClusterConfig.html). A type outside the
/// table is refused by configuration validation: add it here, with its facts, before using it.
/// </summary>
public static class InstanceTypes
{
    private const InstanceUse All = InstanceUse.Hosting | InstanceUse.Training | InstanceUse.Processing;

    private static readonly Dictionary<string, int> VcpusBySize = new(StringComparer.Ordinal)
    {
        ["medium"] = 2, ["large"] = 2, ["xlarge"] = 4, ["2xlarge"] = 8, ["4xlarge"] = 16, ["8xlarge"] = 32, ["9xlarge"] = 36,
        ["12xlarge"] = 48, ["16xlarge"] = 64, ["18xlarge"] = 72, ["24xlarge"] = 96, ["32xlarge"] = 128, ["48xlarge"] = 192,
    };

    // Family → (sizes, uses for small sizes, uses from xlarge up, GPUs by size, instance storage).
    private static readonly (string Family, string[] Sizes, InstanceUse Uses, InstanceUse XlargeUpUses, Func<string, int> Gpus, bool Storage)[] Families =
    [
        ("t2", ["medium", "large", "xlarge", "2xlarge"], InstanceUse.Hosting, InstanceUse.Hosting, _ => 0, false),
        ("t3", ["medium", "large", "xlarge", "2xlarge"], InstanceUse.Training | InstanceUse.Processing, InstanceUse.Training | InstanceUse.Processing, _ => 0, false),
        ("m5", ["large", "xlarge", "2xlarge", "4xlarge", "12xlarge", "24xlarge"], All, All, _ => 0, false),
        ("m5d", ["large", "xlarge", "2xlarge", "4xlarge", "12xlarge", "24xlarge"], InstanceUse.Hosting, InstanceUse.Hosting, _ => 0, true),
        ("c5", ["large", "xlarge", "2xlarge", "4xlarge", "9xlarge", "18xlarge"], InstanceUse.Hosting, All, _ => 0, false),
        ("c5d", ["large", "xlarge", "2xlarge", "4xlarge", "9xlarge", "18xlarge"], InstanceUse.Hosting, InstanceUse.Hosting, _ => 0, true),
        ("r5", ["large", "xlarge", "2xlarge", "4xlarge", "12xlarge", "24xlarge"], All, All, _ => 0, false),
        ("m6i", ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge"], All, All, _ => 0, false),
        ("c6i", ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge"], InstanceUse.Hosting, All, _ => 0, false),
        ("g4dn", ["xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"], All, All, s => s == "12xlarge" ? 4 : 1, true),
        ("g5", ["xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge"], All, All,
            s => s switch { "12xlarge" or "24xlarge" => 4, "48xlarge" => 8, _ => 1 }, true),
        ("p3", ["2xlarge", "8xlarge", "16xlarge"], All, All, s => s switch { "8xlarge" => 4, "16xlarge" => 8, _ => 1 }, false),
    ];

    /// <summary>Every known type by name.</summary>
    public static IReadOnlyDictionary<string, InstanceType> Known { get; } = Families
        .SelectMany(f => f.Sizes.Select(size => new InstanceType($"ml.{f.Family}.{size}", VcpusBySize[size], f.Gpus(size), f.Storage,
            size is "medium" or "large" ? f.Uses : f.XlargeUpUses)))
        .ToDictionary(t => t.Name, StringComparer.Ordinal);

    /// <summary>The type called <paramref name="name"/>, or null when the table does not know it.</summary>
    public static InstanceType? Find(string name) => Known.GetValueOrDefault(name);

    /// <summary>The type called <paramref name="name"/>; throws, naming the fix, when the table does not know it.</summary>
    public static InstanceType Get(string name) => Find(name)
        ?? throw new ArgumentException($"Instance type \"{name}\" is not in constructs/SageMaker/InstanceTypes.cs: use a listed ml.* type, or add it with its vCPUs, GPUs, instance storage and uses.");

    /// <summary>Whether <paramref name="name"/> has instance storage (unknown types: false).</summary>
    public static bool HasInstanceStorage(string name) => Find(name)?.InstanceStorage == true;

    /// <summary>Whether SageMaker accepts <paramref name="name"/> for <paramref name="use"/>.</summary>
    public static bool Accepts(string name, InstanceUse use) => Find(name) is { } type && type.Uses.HasFlag(use);
}
