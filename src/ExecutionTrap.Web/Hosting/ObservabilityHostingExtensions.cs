using Serilog;
using Serilog.Formatting.Compact;

namespace ExecutionTrap.Web.Hosting;

public static class ObservabilityHostingExtensions
{
    /// <summary>Serilog: readable console lines by default, compact JSON when Logging:Format is "json"; every event names the process's role.</summary>
    public static IHostApplicationBuilder AddObservability(this IHostApplicationBuilder builder)
    {
        var json = string.Equals(builder.Configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase);
        var role = HostRoleOptions.From(builder.Configuration).Role.ToString().ToLowerInvariant();

        void Configure(IServiceProvider services, LoggerConfiguration logger)
        {
            logger.ReadFrom.Configuration(builder.Configuration)
                .ReadFrom.Services(services)
                .Enrich.FromLogContext()
                .Enrich.WithProperty("Role", role)
                .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.EntityFrameworkCore", Serilog.Events.LogEventLevel.Warning)
                .MinimumLevel.Override("Hangfire", Serilog.Events.LogEventLevel.Information);
            if (json)
            {
                logger.WriteTo.Console(new RenderedCompactJsonFormatter());
            }
            else
            {
                logger.WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        // Each host keeps its own logger: the static Log.Logger would be shared, and closed, by every host in a process.
        builder.Services.AddSerilog(Configure, preserveStaticLogger: true);
        return builder;
    }

    public static WebApplication UseObservability(this WebApplication app)
    {
        app.UseSerilogRequestLogging();
        return app;
    }
}
