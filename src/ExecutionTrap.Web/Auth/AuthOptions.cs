namespace ExecutionTrap.Web.Auth;

/// <summary>How people sign in, and who the first administrators are.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>E-mail addresses that are administrators of their organisation from their first sign-in.</summary>
    public List<string> Admins { get; set; } = [];

    /// <summary>
    /// The form at /dev/sign-in that signs anyone in without a password. Empty means "in Development only";
    /// true outside the Development environment stops the host at start.
    /// </summary>
    public bool? DevelopmentSignIn { get; set; }

    /// <summary>Sign-in with Microsoft work accounts; on when ClientId is set.</summary>
    public OidcProviderOptions Microsoft { get; set; } = new();

    /// <summary>Sign-in with Google Workspace accounts; on when ClientId is set.</summary>
    public OidcProviderOptions Google { get; set; } = new();
}

public sealed class OidcProviderOptions
{
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>Microsoft only: "organizations" lets any work tenant sign in.</summary>
    public string Tenant { get; set; } = "organizations";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ClientId);
}
