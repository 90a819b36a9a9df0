namespace ExecutionTrap.Web.Auth;

/// <summary>Return URLs stay on this site: a path, never a scheme, a host or a protocol-relative "//".</summary>
internal static class ReturnUrls
{
    public const string Home = "/week";

    public static string Safe(string? returnUrl)
    {
        if (string.IsNullOrWhiteSpace(returnUrl) || returnUrl[0] != '/')
        {
            return Home;
        }

        // "//evil" and "/\evil" are read by browsers as another host.
        if (returnUrl.Length > 1 && (returnUrl[1] == '/' || returnUrl[1] == '\\'))
        {
            return Home;
        }

        return returnUrl.Any(c => char.IsControl(c)) ? Home : returnUrl;
    }
}
