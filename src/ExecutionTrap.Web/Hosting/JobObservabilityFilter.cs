using System.Diagnostics;
using Hangfire.Client;
using Hangfire.Common;
using Hangfire.Server;
using Hangfire.States;
using Hangfire.Storage;
using Serilog.Context;

namespace ExecutionTrap.Web.Hosting;

/// <summary>
/// Gives every job's log lines its JobId, JobType and a CorrelationId, and counts jobs run, failed and retried.
/// The correlation id is stored with the job when it is created: a job enqueued by another job (a sync round's
/// connections) carries its parent's id, one enqueued by a request carries the request's trace id.
/// </summary>
internal sealed class JobObservabilityFilter(ExecutionTrapMetrics metrics) : IClientFilter, IServerFilter, IApplyStateFilter
{
    public const string CorrelationIdParameter = "CorrelationId";

    private const string LogContextItem = "etrap:log-context";

    private static readonly AsyncLocal<string?> CurrentCorrelationId = new();

    public void OnCreating(CreatingContext context)
    {
        var correlationId = CurrentCorrelationId.Value
            ?? Activity.Current?.TraceId.ToHexString()
            ?? Guid.NewGuid().ToString("N");
        context.SetJobParameter(CorrelationIdParameter, correlationId);
    }

    public void OnCreated(CreatedContext context)
    {
    }

    // Runs on the worker thread that then runs the job, so what is pushed here flows into the job's own logging.
    public void OnPerforming(PerformingContext context)
    {
        var jobId = context.BackgroundJob.Id;
        var correlationId = context.GetJobParameter<string>(CorrelationIdParameter) ?? jobId;
        CurrentCorrelationId.Value = correlationId;
        context.Items[LogContextItem] = new LogContextScope(
            LogContext.PushProperty("JobId", jobId),
            LogContext.PushProperty("JobType", JobType(context.BackgroundJob.Job)),
            LogContext.PushProperty(CorrelationIdParameter, correlationId));
    }

    public void OnPerformed(PerformedContext context)
    {
        metrics.JobRun(JobType(context.BackgroundJob.Job));
        if (context.Items.TryGetValue(LogContextItem, out var scope) && scope is IDisposable disposable)
        {
            disposable.Dispose();
        }

        CurrentCorrelationId.Value = null;
    }

    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        var job = JobType(context.BackgroundJob.Job);
        if (context.NewState.Name == FailedState.StateName)
        {
            metrics.JobFailed(job);
        }
        else if (context.NewState.Name == ScheduledState.StateName && context.OldStateName == ProcessingState.StateName)
        {
            // Only an automatic retry moves a job from processing back to scheduled.
            metrics.JobRetried(job);
        }
    }

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
    }

    private static string JobType(Job? job) => job?.Type.Name ?? "unknown";

    private sealed class LogContextScope(params IDisposable[] pushed) : IDisposable
    {
        // Pushed properties unwind in reverse order.
        public void Dispose()
        {
            for (var i = pushed.Length - 1; i >= 0; i--)
            {
                pushed[i].Dispose();
            }
        }
    }
}

/// <summary>Adds one host's filter to Hangfire's usual ones (global and attributes) without touching the static global list.</summary>
internal sealed class HostJobFilterProvider(JobObservabilityFilter filter) : IJobFilterProvider
{
    public IEnumerable<JobFilter> GetFilters(Job job) => [new JobFilter(filter, JobFilterScope.Global, null)];

    public static IJobFilterProvider For(IServiceProvider services) =>
        new JobFilterProviderCollection(JobFilterProviders.Providers, new HostJobFilterProvider(services.GetRequiredService<JobObservabilityFilter>()));
}
