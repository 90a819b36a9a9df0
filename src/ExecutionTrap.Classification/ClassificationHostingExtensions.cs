using System.Diagnostics;
using ExecutionTrap.Domain.Classification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ExecutionTrap.Classification;

public static partial class ClassificationHostingExtensions
{
    /// <summary>Registers the meeting classifier as a singleton <see cref="IMeetingClassifier"/>, loaded when the host starts.</summary>
    public static IHostApplicationBuilder AddClassification(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptionsWithValidateOnStart<ClassificationOptions>()
            .BindConfiguration(ClassificationOptions.SectionName)
            .ValidateDataAnnotations();

        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<IOptions<ClassificationOptions>>().Value;
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<MeetingClassifier>();
            var started = Stopwatch.GetTimestamp();
            var classifier = string.IsNullOrWhiteSpace(options.ModelPath)
                ? MeetingClassifiers.LoadBuiltIn(options.UncertainBelow)
                : MeetingClassifiers.Load(options.ModelPath, options.UncertainBelow);
            var elapsedMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogModelLoaded(logger, classifier.ModelVersion, options.ModelPath ?? MeetingClassifiers.BuiltInName, elapsedMs);
            return classifier;
        });
        builder.Services.AddSingleton<IMeetingClassifier>(services => services.GetRequiredService<MeetingClassifier>());
        builder.Services.AddHostedService<ClassifierWarmUp>();
        return builder;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded meeting model {ModelVersion} from {ModelSource} in {ElapsedMs} ms")]
    private static partial void LogModelLoaded(ILogger logger, string modelVersion, string modelSource, long elapsedMs);

    // Resolving the classifier at start makes a bad model file stop the host at once,
    // not on the first sync hours later.
    private sealed class ClassifierWarmUp(IMeetingClassifier classifier) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = classifier.ModelVersion;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
