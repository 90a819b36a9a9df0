namespace ExecutionTrap.Web.Auth;

/// <summary>How people sign in, who may, and who the first administrators and the operators are.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>
    /// Administrators of their organisation from their next sign-in, named by tenant and object id (never by
    /// e-mail: another tenant can put anyone's address in a token). Admins can then promote others on People.
    /// </summary>
    public List<AccountReference> Admins { get; set; } = [];

    /// <summary>The people who run the service (jobs dashboard, operational details): the "operator" role.</summary>
    public List<AccountReference> Operators { get; set; } = [];

    /// <summary>
    /// When not empty, only these Microsoft tenant ids and Google Workspace domains may sign in; everyone else
    /// is refused with a clear page. Empty lets any work tenant or Workspace sign in.
    /// </summary>
    public List<string> AllowedTenants { get; set; } = [];

    /// <summary>
    /// The form at /dev/sign-in that signs anyone in without a password. Empty means "in Development only";
    /// true outside the Development environment stops the host at start.
    /// </summary>
    public bool? DevelopmentSignIn { get; set; }

    /// <summary>Sign-in with Microsoft work accounts; on when ClientId is set.</summary>
    public OidcProviderOptions Microsoft { get; set; } = new();

    /// <summary>Sign-in with Google Workspace accounts; on when ClientId is set.</summary>
    public OidcProviderOptions Google { get; set; } = new();

    internal bool TenantAllowed(string tenant) =>
        AllowedTenants.Count == 0 || AllowedTenants.Any(t => string.Equals(t.Trim(), tenant.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>One person at an identity provider: Microsoft tenant id + object id (oid), or Google Workspace domain (hd) + subject (sub).</summary>
public sealed class AccountReference
{
    public string? Tenant { get; set; }

    public string? ObjectId { get; set; }

    internal bool IsComplete => !string.IsNullOrWhiteSpace(Tenant) && !string.IsNullOrWhiteSpace(ObjectId);
}

public sealed class OidcProviderOptions
{
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>Microsoft only: "organizations" lets any work tenant sign in.</summary>
    public string Tenant { get; set; } = "organizations";

    /// <summary>Where the provider's metadata is read; empty means the provider's public one (national clouds and tests set it).</summary>
    public string? Authority { get; set; }

    /// <summary>
    /// The issuer the ID tokens must carry; empty means the provider's own. Microsoft's may hold "{tenantid}",
    /// replaced by the token's own tenant.
    /// </summary>
    public string? Issuer { get; set; }

    /// <summary>False only for a test provider on loopback http; refused outside the Development environment.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ClientId);
}
