namespace MlopsTf.Constructs.Storage;

/// <summary>
/// The key prefixes of the platform's buckets. The construct that writes a prefix and the one that reads it both take
/// it from here, so a producer and its consumer cannot drift apart.
/// </summary>
public static class DataLayout
{
    /// <summary>The data bucket.</summary>
    public static class Data
    {
        /// <summary>Raw training data as uploaded: what data validation and preprocessing read.</summary>
        public const string Raw = "raw/";

        /// <summary>Preprocessing's output, one sub-prefix per training channel.</summary>
        public const string Processed = "processed/";

        /// <summary>Data validation's reports.</summary>
        public const string ValidationReports = "validation-reports/";

        /// <summary>The Feature Store's offline store.</summary>
        public const string FeatureStore = "feature-store/";

        /// <summary>Endpoint data capture (requests and responses), one sub-prefix per endpoint.</summary>
        public const string Capture = "capture/";

        /// <summary>Drift monitoring: baselines, constraints and monitoring reports.</summary>
        public const string Monitoring = "monitoring/";

        /// <summary>Records the pipeline's batch transform scores (what data owners upload).</summary>
        public const string BatchTransformInput = "batch-transform/input/";

        /// <summary>The batch transform's results, one sub-prefix per pipeline execution.</summary>
        public const string BatchTransformOutput = "batch-transform/output/";

        /// <summary>
        /// Asynchronous inference, one sub-prefix per endpoint: <c>input/</c> (what callers upload and name in
        /// InvokeEndpointAsync), <c>output/</c> (results) and <c>failures/</c> (errors).
        /// </summary>
        public const string AsyncInference = "async-inference/";

        /// <summary>
        /// Labels of captured requests, one sub-prefix per endpoint, written by whoever learns the outcome and merged by
        /// the model quality monitor: <c>&lt;endpoint&gt;/yyyy/mm/dd/hh/*.jsonl</c>.
        /// </summary>
        public const string GroundTruth = "ground-truth/";
    }

    /// <summary>The models bucket.</summary>
    public static class Models
    {
        /// <summary>Training jobs' output: the archives registered model packages point to.</summary>
        public const string TrainingOutput = "training-output/";

        /// <summary>Spot training checkpoints, one folder per pipeline execution (written and read back by the job).</summary>
        public const string Checkpoints = "checkpoints/";
    }

    /// <summary>The artifacts bucket.</summary>
    public static class Artifacts
    {
        /// <summary>Glue scripts (read by the Glue job; written only by Terraform).</summary>
        public const string Glue = "glue/";

        /// <summary>What SageMaker jobs and Studio users may write.</summary>
        public const string SageMaker = "sagemaker/";
    }
}
