using Microsoft.Extensions.Options;

namespace ExecutionTrap.Web.Hosting;

/// <summary>
/// Runs the options checks that <c>ValidateOnStart</c> registers before the host starts, so a missing
/// setting stops the process with one line naming it and exit code 1 — not a logged stack trace and a
/// core dump from an unhandled exception inside <c>RunAsync</c>.
/// </summary>
internal static class StartupValidation
{
    public static bool SettingsAreValid(this WebApplication app)
    {
        try
        {
            app.Services.GetService<IStartupValidator>()?.Validate();
            return true;
        }
        catch (Exception exception) when (Failures(exception) is { Count: > 0 } failures && !RunsOnATestServer(app))
        {
            Console.Error.WriteLine($"ExecutionTrap cannot start: {string.Join(" ", failures)}");
            return false;
        }
    }

    // Under WebApplicationFactory the failure is the test's to see, as an exception from the host it asked for.
    private static bool RunsOnATestServer(WebApplication app) =>
        app.Services.GetService<Microsoft.AspNetCore.Hosting.Server.IServer>()?.GetType().FullName == "Microsoft.AspNetCore.TestHost.TestServer";

    private static List<string> Failures(Exception exception) => exception switch
    {
        OptionsValidationException validation => [.. validation.Failures],
        AggregateException aggregate => [.. aggregate.InnerExceptions.SelectMany(Failures)],
        _ => [],
    };
}
