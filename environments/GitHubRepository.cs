namespace MlopsTf.Environments;

/// <summary>
/// A GitHub repository, <c>Owner/Name</c>, whose Actions may assume the CI roles.
/// <para>
/// Repositories created after 2026-07-15, renamed or transferred after that date, or opted in, use GitHub's immutable
/// subject claims: every OIDC subject names the owner and the repository with their numeric ids,
/// <c>repo:OWNER@OWNER_ID/REPO@REPO_ID:…</c>, even with a customised subject template. Give both ids for such a
/// repository (<c>gh api repos/OWNER/REPO --jq '.owner.id, .id'</c>) and neither otherwise
/// (https://docs.github.com/en/actions/reference/security/oidc#immutable-subject-claims).
/// </para>
/// </summary>
public sealed partial record GitHubRepository
{
    /// <summary>Validates and creates the record; throws naming the field, the value and the fix.</summary>
    /// <param name="owner">Organisation or user, as in <c>https://github.com/OWNER/REPO</c>.</param>
    /// <param name="name">Repository name.</param>
    /// <param name="ownerId">The owner's numeric id; only with immutable subject claims. Default: none.</param>
    /// <param name="repositoryId">The repository's numeric id; only with immutable subject claims. Default: none.</param>
    public GitHubRepository(string owner, string name, long? ownerId = null, long? repositoryId = null)
    {
        if (!OwnerPattern().IsMatch(owner ?? ""))
            throw new ArgumentException($"GitHubRepository.Owner '{owner}' is not a GitHub user or organisation name (letters, digits and single hyphens, 1-39 characters, no hyphen first or last); use the owner as it appears in https://github.com/OWNER/REPO", nameof(owner));
        if (!NamePattern().IsMatch(name ?? "") || name is "." or "..")
            throw new ArgumentException($"GitHubRepository.Name '{name}' is not a GitHub repository name (letters, digits, '.', '-' and '_', 1-100 characters); use the name as it appears in https://github.com/OWNER/REPO", nameof(name));
        if ((ownerId is not null) != (repositoryId is not null))
            throw new ArgumentException($"GitHubRepository.{(ownerId is null ? "OwnerId" : "RepositoryId")} is missing while {(ownerId is null ? $"RepositoryId is {repositoryId}" : $"OwnerId is {ownerId}")}; immutable subject claims carry both ids: give both (gh api repos/{owner}/{name} --jq '.owner.id, .id') or neither", ownerId is null ? nameof(ownerId) : nameof(repositoryId));
        if (ownerId <= 0)
            throw new ArgumentException($"GitHubRepository.OwnerId {ownerId} is not a GitHub id (a positive number); take it from gh api repos/{owner}/{name} --jq .owner.id", nameof(ownerId));
        if (repositoryId <= 0)
            throw new ArgumentException($"GitHubRepository.RepositoryId {repositoryId} is not a GitHub id (a positive number); take it from gh api repos/{owner}/{name} --jq .id", nameof(repositoryId));
        Owner = owner!;
        Name = name!;
        OwnerId = ownerId;
        RepositoryId = repositoryId;
    }

    /// <summary>Organisation or user.</summary>
    public string Owner { get; }

    /// <summary>Repository name.</summary>
    public string Name { get; }

    /// <summary>The owner's numeric id when the repository uses immutable subject claims; otherwise null.</summary>
    public long? OwnerId { get; }

    /// <summary>The repository's numeric id when the repository uses immutable subject claims; otherwise null.</summary>
    public long? RepositoryId { get; }

    /// <summary>Whether GitHub puts the ids into this repository's OIDC subjects.</summary>
    public bool UsesImmutableSubjects => OwnerId is not null;

    /// <summary>The repository as the <c>repo</c> part of its OIDC subjects: <c>OWNER/REPO</c> or <c>OWNER@ID/REPO@ID</c>.</summary>
    public string SubjectName => UsesImmutableSubjects ? $"{Owner}@{OwnerId}/{Name}@{RepositoryId}" : $"{Owner}/{Name}";

    /// <inheritdoc />
    public override string ToString() => $"{Owner}/{Name}";

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")]
    private static partial Regex OwnerPattern();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex NamePattern();
}
