namespace MlopsTf.Constructs.Deployment;

/// <summary>Who may call an HTTP API route.</summary>
public enum ApiAuthorizationKind
{
    /// <summary>Anyone who reaches the URL (throttled); the route has no authorizer.</summary>
    None,

    /// <summary>Requests signed with SigV4 by an IAM principal allowed <c>execute-api:Invoke</c> on the route.</summary>
    Iam,

    /// <summary>A JSON Web Token in the <c>Authorization</c> header, checked against an issuer and audiences.</summary>
    Jwt,
}

/// <summary>The authorization of a public API's routes; <see cref="Jwt"/> names the token issuer and accepted audiences.</summary>
public sealed record ApiAuthorization(ApiAuthorizationKind Kind, string? JwtIssuer = null, IReadOnlyList<string>? JwtAudiences = null)
{
    /// <summary>No authorization.</summary>
    public static ApiAuthorization None { get; } = new(ApiAuthorizationKind.None);

    /// <summary>IAM (SigV4) authorization.</summary>
    public static ApiAuthorization Iam { get; } = new(ApiAuthorizationKind.Iam);

    /// <summary>JWT authorization by <paramref name="issuer"/> (an https URL) for <paramref name="audiences"/>.</summary>
    public static ApiAuthorization Jwt(string issuer, params string[] audiences) => new(ApiAuthorizationKind.Jwt, issuer, audiences);

    /// <summary>The problem with this authorization, or null.</summary>
    public string? Problem() => Kind switch
    {
        ApiAuthorizationKind.Jwt when JwtIssuer is null || !Uri.TryCreate(JwtIssuer, UriKind.Absolute, out var u) || u.Scheme != "https" =>
            $"JwtIssuer = \"{JwtIssuer}\": give the token issuer's https URL (e.g. https://cognito-idp.us-east-1.amazonaws.com/<pool id>)",
        ApiAuthorizationKind.Jwt when JwtAudiences is not { Count: > 0 } || JwtAudiences.Any(string.IsNullOrWhiteSpace) =>
            "JwtAudiences is empty: list the audiences (client ids) a token must carry in aud",
        not ApiAuthorizationKind.Jwt when JwtIssuer is not null || JwtAudiences is not null =>
            $"JwtIssuer/JwtAudiences are set for {Kind} authorization: use ApiAuthorization.Jwt(issuer, audiences)",
        _ => null,
    };
}
