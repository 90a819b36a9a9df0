using System.Text.Json;
using ExecutionTrap.Reports.Delivery;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace ExecutionTrap.Web.Hosting;

public static class OperationsHostingExtensions
{
    private const string ReadyTag = "ready";

    /// <summary>
    /// Health checks (database, job storage, SMTP relay), OpenTelemetry metrics for /metrics and the sync-lag
    /// sampler. Call after AddReports and AddJobs: it wraps the mailer they registered to count emails.
    /// </summary>
    public static IHostApplicationBuilder AddOperations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptionsWithValidateOnStart<HostRoleOptions>().BindConfiguration(HostRoleOptions.SectionName);
        builder.Services.AddOptionsWithValidateOnStart<OperationsOptions>()
            .BindConfiguration(OperationsOptions.SectionName)
            .ValidateDataAnnotations();

        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<ExecutionTrapMetrics>();
        builder.Services.Decorate<IReportMailer>((sp, mailer) => new CountingReportMailer(mailer, sp.GetRequiredService<ExecutionTrapMetrics>()));
        builder.Services.AddHostedService<SyncLagSampler>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ExecutionTrapMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
            .AddPrometheusExporter());

        builder.Services.AddSingleton<SmtpHealthCheck>();
        builder.Services.AddHealthChecks()
            .AddCheck<JobStorageHealthCheck>("jobs", tags: [ReadyTag])
            .AddCheck<SmtpHealthCheck>("smtp", tags: [ReadyTag]);
        return builder;
    }

    /// <summary>A worker answers its operations endpoints only; everything else it would map is not found.</summary>
    public static WebApplication UseHostRole(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<HostRoleOptions>>().Value.ServesWeb)
        {
            app.Use(async (context, next) =>
            {
                if (context.GetEndpoint()?.Metadata.GetMetadata<OperationsEndpoint>() is null)
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }

                await next(context);
            });
        }

        return app;
    }

    /// <summary>/healthz (the database), /healthz/live (the process), /healthz/ready (everything a worker needs) and /metrics.</summary>
    public static WebApplication MapOperations(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = check => check.Name == "database" })
            .WithMetadata(OperationsEndpoint.Instance)
            .AllowAnonymous();
        app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = _ => false })
            .WithMetadata(OperationsEndpoint.Instance)
            .AllowAnonymous();
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = WriteReportAsync })
            .WithMetadata(OperationsEndpoint.Instance)
            .AllowAnonymous();
        app.MapPrometheusScrapingEndpoint("/metrics")
            .WithMetadata(OperationsEndpoint.Instance)
            .AllowAnonymous();
        return app;
    }

    // Names each check and its status for anyone (a load balancer is anonymous); why it failed only for a signed-in
    // operator, since an exception's text can name hosts, ports and paths an attacker would like to know.
    private static Task WriteReportAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var detailed = context.User.IsInRole(Auth.AuthSchemes.OperatorRole) && context.User.Identity?.AuthenticationType != Auth.AuthSchemes.ApiToken;
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status.ToString(), description = detailed ? e.Value.Description ?? e.Value.Exception?.Message : null }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }

    private sealed class OperationsEndpoint
    {
        public static readonly OperationsEndpoint Instance = new();
    }
}
