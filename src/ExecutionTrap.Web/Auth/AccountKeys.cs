namespace ExecutionTrap.Web.Auth;

/// <summary>
/// Who a person is, as the one party that can vouch for it: the issuer (a Microsoft tenant, a Google Workspace
/// domain, or "local" for leaders declared in configuration and the Development sign-in) and the person's id
/// there (Microsoft's object id, Google's subject). Never the e-mail address, which any tenant can put in a token.
/// </summary>
internal sealed record AccountKey(string Issuer, string Subject)
{
    public const string LocalIssuer = "local";

    public static AccountKey Microsoft(string tenantId, string objectId) =>
        new(OrganisationKeys.Microsoft(tenantId), objectId.Trim().ToLowerInvariant());

    public static AccountKey Google(string workspaceDomain, string subject) =>
        new(OrganisationKeys.Google(workspaceDomain), subject.Trim());

    /// <summary>Leaders declared in configuration without an identity-provider id, and the Development sign-in.</summary>
    public static AccountKey Local(string email) => new(LocalIssuer, email.Trim().ToLowerInvariant());

    /// <summary>The tenant id or Workspace domain behind the issuer.</summary>
    public string Tenant => Issuer.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0 ? Issuer[(colon + 1)..] : Issuer;

    /// <summary>
    /// Whether a configured entry (tenant + object id) names this account. Local accounts never match: they are
    /// keyed by e-mail, and rights are never given by e-mail.
    /// </summary>
    public bool IsNamedBy(AccountReference reference) =>
        Issuer != LocalIssuer
        && string.Equals(Tenant, reference.Tenant?.Trim(), StringComparison.OrdinalIgnoreCase)
        && string.Equals(Subject, reference.ObjectId?.Trim(), StringComparison.OrdinalIgnoreCase);

    public bool IsNamedByAny(IEnumerable<AccountReference> references) => references.Any(IsNamedBy);
}

/// <summary>
/// The one rule that puts a leader in an organisation: the Microsoft tenant id, the Google Workspace domain,
/// or — for leaders declared in configuration without either, and the Development sign-in — the e-mail domain
/// under its own "local:" prefix, which no identity-provider sign-in can ever produce.
/// </summary>
internal static class OrganisationKeys
{
    public static string Microsoft(string tenantId) => "microsoft:" + Normalize(tenantId);

    public static string Google(string workspaceDomain) => "google:" + Normalize(workspaceDomain);

    public static string Local(string emailDomain) => "local:" + Normalize(emailDomain);

    private static string Normalize(string value) => value.Trim().ToLowerInvariant();
}
