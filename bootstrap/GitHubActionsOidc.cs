using MlopsTf.Environments;

namespace MlopsTf.Bootstrap;

/// <summary>
/// The OIDC subjects that GitHub Actions presents and that the CI roles trust.
/// <para>
/// AWS matches GitHub's tokens reliably only on <c>token.actions.githubusercontent.com:sub</c> and <c>:aud</c>
/// (https://docs.github.com/en/actions/how-tos/secure-your-work/security-harden-deployments/oidc-in-aws), so every
/// distinction the roles make lives in the subject. The repository's subject template is customised once to
/// <see cref="SubjectClaimKeys"/> (bootstrap/README.md), which makes GitHub write
/// <c>repo:OWNER/REPO:environment:ENV:ref:REF:job_workflow_ref:OWNER/REPO/.github/workflows/FILE@REF</c>: the
/// repository, the job's environment, the git ref that triggered the run and the workflow file the job comes from,
/// with <c>:</c> inside a value written <c>%3A</c>
/// (https://docs.github.com/en/actions/reference/security/oidc#customizing-the-subject-claims-for-an-organization-or-repository).
/// </para>
/// <para>
/// The apply role trusts only <see cref="ApplyWorkflows"/> on <see cref="DeployRef"/> in the environment itself. A
/// pull request's token carries <c>ref:refs/pull/N/merge</c> whatever workflow it runs, also when it calls main's
/// reusable workflow by its remote path (that changes only <c>job_workflow_ref</c>), and a push to another branch
/// carries that branch, so neither can assume it. Plan jobs run in the GitHub environment
/// <see cref="PlanEnvironment"/>, which the plan role trusts for any ref and workflow.
/// </para>
/// </summary>
public static class GitHubActionsOidc
{
    /// <summary>The claims the repository's OIDC subject template includes, in this order.</summary>
    public static readonly IReadOnlyList<string> SubjectClaimKeys = ["repo", "context", "ref", "job_workflow_ref"];

    /// <summary>The only git ref from which the apply role may be assumed.</summary>
    public const string DeployRef = "refs/heads/main";

    /// <summary>The workflow files (in <c>.github/workflows/</c>) whose jobs may assume the apply role.</summary>
    public static readonly IReadOnlyList<string> ApplyWorkflows = ["apply-environment.yml", "destroy.yml"];

    /// <summary>What GitHub environments of plan jobs add to the environment's name.</summary>
    public const string PlanEnvironmentSuffix = "-plan";

    /// <summary>The GitHub environment plan jobs of <paramref name="environment"/> run in (and whose variables hold the plan role).</summary>
    public static string PlanEnvironment(string environment) => environment + PlanEnvironmentSuffix;

    /// <summary>The subject GitHub writes for a job in <paramref name="environment"/> under the customised template.</summary>
    /// <param name="repository">The repository the workflow runs in.</param>
    /// <param name="environment">The job's GitHub environment.</param>
    /// <param name="gitRef">The ref that triggered the run, e.g. <c>refs/heads/main</c> or <c>refs/pull/7/merge</c>.</param>
    /// <param name="jobWorkflowRef">The workflow file the job comes from, <c>OWNER/REPO/.github/workflows/FILE@REF</c>.</param>
    public static string Subject(GitHubRepository repository, string environment, string gitRef, string jobWorkflowRef) =>
        string.Join(':', SubjectClaimKeys.Select(key => Claim(key, repository, environment, gitRef, jobWorkflowRef)));

    /// <summary>The subjects the apply role of <paramref name="environment"/> trusts: each apply workflow on <see cref="DeployRef"/>.</summary>
    public static IReadOnlyList<string> ApplySubjects(GitHubRepository repository, string environment) =>
        [.. ApplyWorkflows.Select(file => Subject(repository, environment, DeployRef, $"{repository}/.github/workflows/{file}@{DeployRef}"))];

    /// <summary>The <c>StringLike</c> pattern the plan role of <paramref name="environment"/> trusts: its plan environment, any ref and workflow.</summary>
    public static string PlanSubjectPattern(GitHubRepository repository, string environment)
    {
        if (SubjectClaimKeys.Count < 2 || SubjectClaimKeys[0] != "repo" || SubjectClaimKeys[1] != "context")
            throw new InvalidOperationException($"GitHubActionsOidc.SubjectClaimKeys [{string.Join(", ", SubjectClaimKeys)}] must start with repo, context: the plan role's pattern pins those two and leaves the rest open");
        return $"{Claim("repo", repository, PlanEnvironment(environment), "", "")}:{Claim("context", repository, PlanEnvironment(environment), "", "")}:*";
    }

    /// <summary>The body of <c>PUT /repos/OWNER/REPO/actions/oidc/customization/sub</c> that sets the template.</summary>
    public static string SubjectTemplateRequest() => new JsonObject
    {
        ["use_default"] = false,
        ["include_claim_keys"] = new JsonArray([.. SubjectClaimKeys.Select(k => JsonValue.Create(k))]),
    }.ToJsonString();

    /// <summary>The command that sets the template on <paramref name="repository"/> (needs admin on it).</summary>
    public static string SubjectTemplateCommand(GitHubRepository repository) =>
        $"echo '{SubjectTemplateRequest()}' | gh api -X PUT repos/{repository}/actions/oidc/customization/sub --input -";

    private static string Claim(string key, GitHubRepository repository, string environment, string gitRef, string jobWorkflowRef) => key switch
    {
        "repo" => $"repo:{repository.SubjectName}",
        "context" => $"environment:{Escape(environment)}",
        "ref" => $"ref:{Escape(gitRef)}",
        "job_workflow_ref" => $"job_workflow_ref:{Escape(jobWorkflowRef)}",
        _ => throw new InvalidOperationException($"GitHubActionsOidc.SubjectClaimKeys names '{key}', which this class cannot render; use repo, context, ref and job_workflow_ref"),
    };

    private static string Escape(string value) => value.Replace(":", "%3A", StringComparison.Ordinal);
}
