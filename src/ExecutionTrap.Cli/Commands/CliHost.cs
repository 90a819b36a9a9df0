using ExecutionTrap.Calendars;
using ExecutionTrap.Classification;
using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Reports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ExecutionTrap.Cli.Commands;

/// <summary>The CLI's composition root: the same adapters as the service, configured the same way.</summary>
internal static class CliHost
{
    public static IHost Build(IDictionary<string, string?>? overrides = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = Directory.GetCurrentDirectory(),
            EnvironmentName = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environments.Development,
        });

        // The service's appsettings.json (mail delivery, options) when run from a checkout, then environment variables.
        var webSettings = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        builder.Configuration.AddJsonFile(webSettings, optional: true);
        builder.Configuration.AddEnvironmentVariables();
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        // The CLI speaks through its output and its exit code; errors are one line on stderr.
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IConnectionSecrets, AccessTokenOnlySecrets>();
        builder.AddCalendars();

        // The CLI reads what its own user can read: files and any network. The web host, where
        // leaders type addresses into a shared server, keeps the defaults (https, public networks).
        builder.Services.PostConfigure<CalendarsOptions>(o =>
        {
            o.Ics.AllowLocalFiles = true;
            o.Ics.AllowHttp = true;
            o.Ics.AllowedNetworks = [.. o.Ics.AllowedNetworks, "0.0.0.0/0", "::/0"];
        });
        builder.AddReports();
        return builder.Build();
    }

    public static MeetingClassifierHandle LoadClassifier(string? modelPath)
    {
        if (modelPath is null)
        {
            return new MeetingClassifierHandle(MeetingClassifiers.LoadBuiltIn());
        }

        if (!File.Exists(modelPath))
        {
            throw new InputException($"--model: no model file at '{modelPath}'.");
        }

        try
        {
            return new MeetingClassifierHandle(MeetingClassifiers.Load(modelPath));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new InputException($"--model: '{modelPath}' is not a model file ({e.Message}).");
        }
    }
}

/// <summary>Owns the loaded classifier for one command.</summary>
internal sealed class MeetingClassifierHandle(MeetingClassifier classifier) : IDisposable
{
    public MeetingClassifier Classifier { get; } = classifier;

    public void Dispose() => Classifier.Dispose();
}
