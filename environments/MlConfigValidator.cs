namespace MlopsTf.Environments;

/// <summary>Rules for <see cref="MlConfig"/>; called by <see cref="EnvironmentValidator"/> for each environment.</summary>
internal static partial class MlConfigValidator
{
    public static void Validate(EnvironmentConfig env, Action<string, object?, string, string> error)
    {
        var ml = env.Ml;
        ValidateNames("Ml.StudioUsers", ml.StudioUsers, error);
        if (ml.ModelFamilies.Count == 0)
            error("Ml.ModelFamilies", "[]", "at least one model family is required", "name the model families this environment trains, e.g. churn");
        ValidateNames("Ml.ModelFamilies", ml.ModelFamilies, error);
        foreach (var group in ml.FeatureGroups) ValidateFeatureGroup(group, error);
        ValidateNames("Ml.FeatureGroups", ml.FeatureGroups.Select(g => g.Name).ToList(), error);

        var p = ml.Pipeline;
        if (!ConfigPatterns.Schedule().IsMatch(p.RetrainingSchedule))
            error("Ml.Pipeline.RetrainingSchedule", p.RetrainingSchedule, "is not a cron(...) or rate(...) expression", "use e.g. cron(0 3 ? * MON *) or rate(7 days)");
        if (!ConfigPatterns.Cron().IsMatch(p.CrawlerSchedule))
            error("Ml.Pipeline.CrawlerSchedule", p.CrawlerSchedule, "is not a cron(...) expression (Glue schedules take cron only)", "use e.g. cron(0 1 * * ? *)");
        // Checks against the allowance only when the allowance itself is valid, so one mistake gives one error.
        if (env.SageMaker.AllowedInstanceTypes.Count > 0 && !env.SageMaker.AllowedInstanceTypes.Contains(p.TrainingInstanceType))
            error("Ml.Pipeline.TrainingInstanceType", p.TrainingInstanceType, "is not in SageMaker.AllowedInstanceTypes",
                $"use one of {string.Join(", ", env.SageMaker.AllowedInstanceTypes)}, or add it to the allow-list");
        else if (Constructs.SageMaker.InstanceTypes.Find(p.TrainingInstanceType) is { } trainingType && !trainingType.Uses.HasFlag(Constructs.SageMaker.InstanceUse.Training))
            error("Ml.Pipeline.TrainingInstanceType", p.TrainingInstanceType, "is not accepted by SageMaker for training jobs (ResourceConfig.InstanceType)",
                "use a training type, e.g. ml.m5.xlarge (ml.t2.*, ml.c5.large, ml.m5d.* and ml.c5d.* host endpoints only)");
        if (env.SageMaker.MaxInstanceCount is >= 1 and <= 100 && (p.TrainingInstanceCount < 1 || p.TrainingInstanceCount > env.SageMaker.MaxInstanceCount))
            error("Ml.Pipeline.TrainingInstanceCount", p.TrainingInstanceCount, $"must be between 1 and SageMaker.MaxInstanceCount ({env.SageMaker.MaxInstanceCount})",
                "lower the count or raise the environment's maximum");
        if (p.TrainingVolumeSizeGb is < 1 or > 16384)
            error("Ml.Pipeline.TrainingVolumeSizeGb", p.TrainingVolumeSizeGb, "must be between 1 and 16384", "set the training volume size in GB");
        if (p.TrainingMaxRuntimeSeconds is < 1 or > 2_419_200)
            error("Ml.Pipeline.TrainingMaxRuntimeSeconds", p.TrainingMaxRuntimeSeconds, "must be between 1 and 2419200 (28 days)", "set the longest a training job may run");
        if (p.TrainingSpotMaxWaitSeconds is { } wait && wait < p.TrainingMaxRuntimeSeconds && p.TrainingMaxRuntimeSeconds is >= 1 and <= 2_419_200)
            error("Ml.Pipeline.TrainingSpotMaxWaitSeconds", wait, $"is below TrainingMaxRuntimeSeconds = {p.TrainingMaxRuntimeSeconds}; SageMaker requires MaxWaitTimeInSeconds to be at least the run time",
                $"wait at least {p.TrainingMaxRuntimeSeconds} seconds, e.g. twice the run time, or leave it null to train on demand");
        if (p.TrainingHyperParameters.Count > 100)
            error("Ml.Pipeline.TrainingHyperParameters", p.TrainingHyperParameters.Count, "has more than 100 entries, the CreateTrainingJob limit", "pass fewer hyperparameters (or a config file in a channel)");
        foreach (var (key, value) in p.TrainingHyperParameters)
        {
            if (key.Length is 0 or > 256 || value.Length > 2500)
                error("Ml.Pipeline.TrainingHyperParameters", key, "keys must be 1-256 and values at most 2500 characters (CreateTrainingJob)", "shorten the key or value");
        }
        if (!ConfigPatterns.IsImmutableTag(p.TrainingImageTag))
            error("Ml.Pipeline.TrainingImageTag", p.TrainingImageTag, "is not an immutable image tag", "use a version tag such as 1.4.2 (repositories are IMMUTABLE; 'latest' is not allowed)");
        if (p.InferenceImageTag is { } inferenceTag && !ConfigPatterns.IsImmutableTag(inferenceTag))
            error("Ml.Pipeline.InferenceImageTag", inferenceTag, "is not an immutable image tag", "use a version tag such as 1.4.2 (repositories are IMMUTABLE; 'latest' is not allowed)");
        if (p.ModelFamily is { } family && !ml.ModelFamilies.Contains(family))
            error("Ml.Pipeline.ModelFamily", family, "is not one of Ml.ModelFamilies", $"use one of {string.Join(", ", ml.ModelFamilies)}");
        if (string.IsNullOrWhiteSpace(p.EvaluationMetric))
            error("Ml.Pipeline.EvaluationMetric", p.EvaluationMetric, "is empty", "name the training metric the gate reads, e.g. validation:auc");
        ValidateTrainingData(p, error);
        if (!double.IsFinite(p.EvaluationThreshold))
            error("Ml.Pipeline.EvaluationThreshold", p.EvaluationThreshold, "must be a finite number", "set the value a model must reach");
        if (p.MinimumRows < 1)
            error("Ml.Pipeline.MinimumRows", p.MinimumRows, "must be at least 1", "set the fewest rows a training run may use");
        if (p.BatchTransform is { } batch)
        {
            var allowedTypes = env.SageMaker.AllowedInstanceTypes;
            if (allowedTypes.Count > 0 && !allowedTypes.Contains(batch.InstanceType))
                error("Ml.Pipeline.BatchTransform.InstanceType", batch.InstanceType, "is not in SageMaker.AllowedInstanceTypes (cost guardrail)", $"use one of {string.Join(", ", allowedTypes)}");
            if (env.SageMaker.MaxInstanceCount >= 1 && batch.InstanceCount > env.SageMaker.MaxInstanceCount)
                error("Ml.Pipeline.BatchTransform.InstanceCount", batch.InstanceCount, $"is above SageMaker.MaxInstanceCount ({env.SageMaker.MaxInstanceCount}) (cost guardrail)", "lower the count or raise the environment's maximum");
            foreach (var problem in batch.Problems())
                error($"Ml.Pipeline.BatchTransform.{problem.Field}", problem.Value, problem.Problem, problem.Fix);
        }

        if (ml.Ecr.KeepTaggedImages is < 1 or > 1000)
            error("Ml.Ecr.KeepTaggedImages", ml.Ecr.KeepTaggedImages, "must be between 1 and 1000", "keep enough images to roll back, e.g. 30");
        if (ml.Ecr.UntaggedExpiryDays is < 1 or > 365)
            error("Ml.Ecr.UntaggedExpiryDays", ml.Ecr.UntaggedExpiryDays, "must be between 1 and 365", "expire untagged images after a few days, e.g. 7");
        if (ml.BudgetAlertPercents.Count == 0)
            error("Ml.BudgetAlertPercents", "[]", "no budget alert threshold is set", "alert at least once, e.g. at 80 and 100 percent");
        foreach (var percent in ml.BudgetAlertPercents.Where(x => x is < 1 or > 1000))
            error("Ml.BudgetAlertPercents", percent, "must be between 1 and 1000 percent", "use e.g. 80 and 100");
    }

    // Limits of AlgorithmSpecification.MetricDefinitions and Channel.ChannelName:
    // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_MetricDefinition.html, API_Channel.html
    private static void ValidateTrainingData(PipelineConfig p, Action<string, object?, string, string> error)
    {
        if (p.MetricDefinitions.Count is < 1 or > 40)
            error("Ml.Pipeline.MetricDefinitions", p.MetricDefinitions.Count, "must define 1 to 40 metrics", "define at least the metric the gate reads");
        foreach (var d in p.MetricDefinitions)
        {
            var field = $"Ml.Pipeline.MetricDefinitions[{d.Name}]";
            if (d.Name.Length is < 1 or > 255)
                error($"{field}.Name", d.Name, "must be 1 to 255 characters", "name the metric, e.g. validation:auc");
            if (d.Regex.Length is < 1 or > 500)
                error($"{field}.Regex", d.Regex, "must be 1 to 500 characters", "write a regular expression whose first group captures the value");
            else if (!CapturesOneGroup(d.Regex))
                error($"{field}.Regex", d.Regex, "is not a regular expression with a capturing group", "capture the value in the first group, e.g. validation:auc=([0-9.]+)");
        }
        foreach (var name in p.MetricDefinitions.GroupBy(d => d.Name).Where(g => g.Count() > 1).Select(g => g.Key))
            error("Ml.Pipeline.MetricDefinitions", name, "is defined more than once", "define each metric once");
        if (!string.IsNullOrWhiteSpace(p.EvaluationMetric) && p.MetricDefinitions.All(d => d.Name != p.EvaluationMetric))
            error("Ml.Pipeline.EvaluationMetric", p.EvaluationMetric, "has no entry in Ml.Pipeline.MetricDefinitions, so SageMaker would never report it",
                $"add a definition for it, or use one of {string.Join(", ", p.MetricDefinitions.Select(d => d.Name))}");

        foreach (var c in p.Channels.Where(c => !ChannelPattern().IsMatch(c.Channel)))
            error("Ml.Pipeline.Channels", c.Channel, "is not a valid channel name", "use 1-64 letters, digits, '.', '-' or '_'");
        foreach (var c in p.Channels.Where(c => c.Percent is < 1 or > 100))
            error($"Ml.Pipeline.Channels[{c.Channel}].Percent", c.Percent, "must be between 1 and 100", "give each channel a share of the records");
        foreach (var name in p.Channels.GroupBy(c => c.Channel).Where(g => g.Count() > 1).Select(g => g.Key))
            error("Ml.Pipeline.Channels", name, "is listed more than once", "list each channel once");
        if (p.Channels.Count == 0 || p.Channels.Sum(c => c.Percent) != 100)
            error("Ml.Pipeline.Channels", string.Join(", ", p.Channels.Select(c => $"{c.Channel}:{c.Percent}")), "shares must add up to 100", "e.g. train 80, validation 20");
        var metricChannel = p.EvaluationMetric.Split(':', 2) is [var prefix, _] ? prefix : null;
        if (metricChannel is not null && p.Channels.Count > 0 && p.Channels.All(c => c.Channel != metricChannel))
            error("Ml.Pipeline.EvaluationMetric", p.EvaluationMetric, $"is measured on channel {metricChannel}, which the training job does not receive",
                $"add a {metricChannel} channel to Ml.Pipeline.Channels, or gate on a metric of {string.Join(", ", p.Channels.Select(c => c.Channel))}");
        var split = p.SplitColumn ?? p.RequiredColumns.FirstOrDefault();
        if (split is null)
            error("Ml.Pipeline.SplitColumn", null, "is not set and Ml.Pipeline.RequiredColumns is empty", "name the column whose hash assigns records to channels, e.g. customer_id");
        else if (!ColumnPattern().IsMatch(split))
            error("Ml.Pipeline.SplitColumn", split, "is not a column name the preprocessing job writes", "use lower-case letters, digits and '_' (the job normalizes column names that way)");
    }

    private static bool CapturesOneGroup(string pattern)
    {
        try
        {
            return new Regex(pattern).GetGroupNumbers().Length > 1;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void ValidateNames(string field, IReadOnlyList<string> names, Action<string, object?, string, string> error)
    {
        foreach (var name in names.Where(n => !SageMakerNamePattern().IsMatch(n)))
            error(field, name, "is not a valid SageMaker name", "use 1-63 letters, digits or '-', starting and ending with a letter or digit");
        foreach (var name in names.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key))
            error(field, name, "is listed more than once", "list each name once");
    }

    private static void ValidateFeatureGroup(FeatureGroupConfig group, Action<string, object?, string, string> error)
    {
        var field = $"Ml.FeatureGroups[{group.Name}]";
        if (group.Features.Count == 0)
            error($"{field}.Features", "[]", "a feature group needs features", "define at least the record identifier and the event time");
        foreach (var name in group.Features.Select(f => f.Name).Where(n => !FeatureNamePattern().IsMatch(n)))
            error($"{field}.Features", name, "is not a valid feature name", "use letters, digits and '_', starting with a letter, at most 64 characters");
        foreach (var name in group.Features.GroupBy(f => f.Name).Where(g => g.Count() > 1).Select(g => g.Key))
            error($"{field}.Features", name, "is defined more than once", "define each feature once");
        if (group.Features.All(f => f.Name != group.RecordIdentifier))
            error($"{field}.RecordIdentifier", group.RecordIdentifier, "is not one of the group's features", "add it to Features or name an existing feature");
        var eventTime = group.Features.FirstOrDefault(f => f.Name == group.EventTime);
        if (eventTime is null)
            error($"{field}.EventTime", group.EventTime, "is not one of the group's features", "add it to Features (Fractional or String) or name an existing feature");
        else if (eventTime.Type == FeatureType.Integral)
            error($"{field}.EventTime", group.EventTime, "is Integral; Feature Store event times are Fractional or String", "declare it Fractional (epoch seconds) or String (ISO-8601)");
    }

    [GeneratedRegex(@"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")]
    private static partial Regex SageMakerNamePattern();

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9_]{0,63}$")]
    private static partial Regex FeatureNamePattern();

    [GeneratedRegex(@"^[A-Za-z0-9\.\-_]{1,64}$")]
    private static partial Regex ChannelPattern();

    [GeneratedRegex(@"^[a-z0-9_]+$")]
    private static partial Regex ColumnPattern();
}
