using ExecutionTrap.Web.Auth;

namespace ExecutionTrap.Web.Endpoints;

public static class WebAppHostingExtensions
{
    /// <summary>The leader's pages and the leader's half of the API under /api (signed-in leaders only).</summary>
    public static WebApplication MapLeaderPages(this WebApplication app)
    {
        app.MapRazorPages();
        var api = app.MapGroup("/api").RequireAuthorization(AuthSchemes.LeaderPolicy);
        api.MapConnectionEndpoints();
        api.MapWeekEndpoints();
        api.MapMeEndpoints();
        return app;
    }

    /// <summary>The admin console's API (admins of their own organisation only); its pages live under /Admin.</summary>
    public static WebApplication MapAdminPages(this WebApplication app)
    {
        app.MapGroup("/api").MapAdminEndpoints();
        return app;
    }
}
