namespace MlopsTf.Constructs.Policies.ServiceRules;

/// <summary>
/// Turns a policy statement's resource, as synthesized (<c>${aws_s3_bucket.x.arn}/processed/*</c>), into an IAM
/// pattern: a reference to a resource's <c>arn</c> becomes that resource type's ARN with the names the stack knows,
/// and anything else the stack cannot know before apply becomes <c>*</c>.
/// </summary>
public static class ReferenceArns
{
    // Resource type → (its ARN, attribute holding the name); ~ marks a field the stack leaves open (partition, Region, account).
    private static readonly Dictionary<string, (string Format, string NameAttribute)> Formats = new(StringComparer.Ordinal)
    {
        ["aws_s3_bucket"] = ("arn:~:s3:::{0}", "bucket"),
        ["aws_kms_key"] = ("arn:~:kms:~:~:key/*", ""),
        ["aws_kms_alias"] = ("arn:~:kms:~:~:{0}", "name"),
        ["aws_sqs_queue"] = ("arn:~:sqs:~:~:{0}", "name"),
        ["aws_sns_topic"] = ("arn:~:sns:~:~:{0}", "name"),
        ["aws_lambda_function"] = ("arn:~:lambda:~:~:function:{0}", "function_name"),
        ["aws_iam_role"] = ("arn:~:iam::~:role/{0}", "name"),
        ["aws_iam_policy"] = ("arn:~:iam::~:policy/{0}", "name"),
        ["aws_iam_openid_connect_provider"] = ("arn:~:iam::~:oidc-provider/*", ""),
        ["aws_ecr_repository"] = ("arn:~:ecr:~:~:repository/{0}", "name"),
        ["aws_cloudwatch_log_group"] = ("arn:~:logs:~:~:log-group:{0}", "name"),
        ["aws_cloudwatch_metric_alarm"] = ("arn:~:cloudwatch:~:~:alarm:{0}", "alarm_name"),
        ["aws_sfn_state_machine"] = ("arn:~:states:~:~:stateMachine:{0}", "name"),
        ["aws_dynamodb_table"] = ("arn:~:dynamodb:~:~:table/{0}", "name"),
        ["aws_glue_job"] = ("arn:~:glue:~:~:job/{0}", "name"),
        ["aws_glue_crawler"] = ("arn:~:glue:~:~:crawler/{0}", "name"),
        ["aws_sagemaker_model_package_group"] = ("arn:~:sagemaker:~:~:model-package-group/{0}", "model_package_group_name"),
        ["aws_sagemaker_endpoint"] = ("arn:~:sagemaker:~:~:endpoint/{0}", "name"),
        ["aws_sagemaker_feature_group"] = ("arn:~:sagemaker:~:~:feature-group/{0}", "feature_group_name"),
        ["aws_sagemaker_model"] = ("arn:~:sagemaker:~:~:model/{0}", "name"),
        ["aws_sagemaker_domain"] = ("arn:~:sagemaker:~:~:domain/*", ""),
        ["aws_apigatewayv2_api"] = ("arn:~:apigateway:~::/apis/*", ""),
        ["aws_scheduler_schedule"] = ("arn:~:scheduler:~:~:schedule/*/{0}", "name"),
        ["aws_cloudwatch_event_rule"] = ("arn:~:events:~:~:rule/{0}", "name"),
    };

    /// <summary>The IAM pattern a synthesized resource string stands for.</summary>
    public static string Resolve(StackDocument stack, string resource) =>
        TerraformReference.Replace(resource, reference => Pattern(stack, reference));

    private static string Pattern(StackDocument stack, TerraformReference? reference)
    {
        if (reference is { Attribute: "arn" } && Formats.TryGetValue(reference.Type, out var format))
        {
            var body = stack.Target(reference);
            var name = format.NameAttribute.Length == 0 ? null : body?.String(format.NameAttribute);
            var literal = name is not null && !TerraformReference.Unknown(name) ? Escape(name) : "*";
            return string.Format(System.Globalization.CultureInfo.InvariantCulture, format.Format.Replace('~', ArnPattern.Segment), literal);
        }
        return "*";
    }

    private static string Escape(string literal) => literal.Replace("\\", "\\\\").Replace("*", "\\*").Replace("?", "\\?");
}
