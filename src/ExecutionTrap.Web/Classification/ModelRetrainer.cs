using System.Text.Json;
using ExecutionTrap.Classification;
using ExecutionTrap.Classification.Evaluation;
using ExecutionTrap.Classification.Features;
using ExecutionTrap.Classification.Training;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Storage.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;

namespace ExecutionTrap.Web.Classification;

/// <summary>The outcome of one retraining: whether the new model replaced the current one, and why.</summary>
internal sealed record RetrainResult(bool Accepted, int? Version, string Reason, double CurrentMacroF1, double CandidateMacroF1, int Corrections);

/// <summary>
/// Trains an organisation's model from the shipped data plus its leaders' corrections, and makes it
/// the active version only if it is not worse than the current one on a held-out slice: a fixed
/// slice of the shipped data and a fixed slice of the corrections, chosen by a hash of the title so
/// an example stays on its side of the split from one night to the next.
/// </summary>
internal sealed partial class ModelRetrainer(
    ExecutionTrapDbContext db,
    OrganisationClassifiers classifiers,
    IDateTimeZoneProvider zones,
    IOptions<ModelRetrainingOptions> options,
    TimeProvider time,
    ILogger<ModelRetrainer> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<RetrainResult> RetrainAsync(Guid organisationId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var corrections = await CorrectionsAsync(organisationId, cancellationToken);
        if (corrections.Count < settings.MinimumCorrections)
        {
            return new RetrainResult(false, null, $"{corrections.Count} corrections; {settings.MinimumCorrections} are needed", 0, 0, corrections.Count);
        }

        var shipped = string.IsNullOrWhiteSpace(settings.TrainingDataPath)
            ? BuiltInTrainingData.Load()
            : LabelledDataFile.Read(settings.TrainingDataPath);
        var (shippedTrain, shippedSlice) = Split(shipped, settings.ShippedSliceFraction);
        var (correctionTrain, correctionSlice) = Split(corrections, settings.CorrectionSliceFraction);
        List<LabelledExample> slice = [.. shippedSlice, .. correctionSlice];

        var current = await classifiers.ModelAsync(db, organisationId, cancellationToken);
        var currentReport = ModelEvaluator.Evaluate(current, slice);
        var model = MeetingModelTrainer.Train(
            [.. shippedTrain, .. correctionTrain],
            MeetingTrainerSettings.Default with { CalibrationFolds = settings.CalibrationFolds });
        using var candidate = MeetingClassifier.FromModel(model);
        var candidateReport = ModelEvaluator.Evaluate(candidate, slice);
        var correctionsReport = ModelEvaluator.Evaluate(candidate, correctionSlice);

        var accepted = candidateReport.MacroF1 >= currentReport.MacroF1;
        var metrics = JsonSerializer.Serialize(
            new
            {
                current = current.ModelVersion,
                sliceSize = slice.Count,
                correctionsUsed = correctionTrain.Count,
                correctionsHeldOut = correctionSlice.Count,
                currentMacroF1 = Math.Round(currentReport.MacroF1, 4),
                candidateMacroF1 = Math.Round(candidateReport.MacroF1, 4),
                candidateCorrectionsAccuracy = Math.Round(correctionsReport.Accuracy, 4),
                candidateCalibrationError = Math.Round(candidateReport.ExpectedCalibrationError, 4),
                temperature = model.Temperature,
            },
            Json);
        if (!accepted)
        {
            LogRejected(organisationId, currentReport.MacroF1, candidateReport.MacroF1);
            return new RetrainResult(false, null, "the new model is worse than the current one on the held-out slice", currentReport.MacroF1, candidateReport.MacroF1, corrections.Count);
        }

        var version = await ActivateNewAsync(organisationId, model.ToBytes(), metrics, cancellationToken);
        LogAccepted(organisationId, version, currentReport.MacroF1, candidateReport.MacroF1);
        return new RetrainResult(true, version, "not worse on the held-out slice", currentReport.MacroF1, candidateReport.MacroF1, corrections.Count);
    }

    /// <summary>The organisation's corrected meetings as labelled examples with their signals, one per title and label.</summary>
    public async Task<List<LabelledExample>> CorrectionsAsync(Guid organisationId, CancellationToken cancellationToken)
    {
        var rows = await (
            from m in db.Meetings.AsNoTracking()
            join c in db.Connections on m.ConnectionId equals c.Id
            join l in db.Leaders on c.LeaderId equals l.Id
            where l.OrganisationId == organisationId && m.CorrectedCategory != null
            orderby m.Id
            select new { Meeting = m, l.TimeZone }).ToListAsync(cancellationToken);
        return [.. rows
            .Select(r => new LabelledExample(r.Meeting.CorrectedCategory!.Value.ToSlug(), r.Meeting.Title, MeetingSignals.From(r.Meeting.ToMeeting(), zones.GetZoneOrNull(r.TimeZone))))
            .DistinctBy(e => (e.Label, e.Title.Trim().ToLowerInvariant()))];
    }

    /// <summary>Splits examples by a stable hash of the title: the same title is always on the same side.</summary>
    public static (List<LabelledExample> Train, List<LabelledExample> Slice) Split(IEnumerable<LabelledExample> examples, double sliceFraction)
    {
        var threshold = (uint)(sliceFraction * uint.MaxValue);
        var train = new List<LabelledExample>();
        var slice = new List<LabelledExample>();
        foreach (var example in examples)
        {
            (StableHash(example.Title) < threshold ? slice : train).Add(example);
        }

        return (train, slice);
    }

    private async Task<int> ActivateNewAsync(Guid organisationId, byte[] bytes, string metrics, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var last = await db.ModelVersions.Where(v => v.OrganisationId == organisationId).MaxAsync(v => (int?)v.Version, cancellationToken) ?? 0;
        await db.ModelVersions.Where(v => v.OrganisationId == organisationId && v.IsActive)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.IsActive, false), cancellationToken);
        db.ModelVersions.Add(new ModelVersion
        {
            OrganisationId = organisationId,
            Version = last + 1,
            Bytes = bytes,
            MetricsJson = metrics,
            CreatedAt = Instant.FromDateTimeOffset(time.GetUtcNow()),
            IsActive = true,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return last + 1;
    }

    // FNV-1a over the lower-cased title: fixed across processes and machines, unlike string.GetHashCode.
    private static uint StableHash(string title)
    {
        var hash = 2166136261u;
        foreach (var c in title.Trim().ToLowerInvariant())
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return unchecked(hash * 0x9E3779B1u);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Organisation {OrganisationId}: new model v{Version} is active (macro-F1 {CurrentMacroF1:0.000} → {CandidateMacroF1:0.000} on the held-out slice)")]
    private partial void LogAccepted(Guid organisationId, int version, double currentMacroF1, double candidateMacroF1);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Organisation {OrganisationId}: new model rejected, worse on the held-out slice (macro-F1 {CurrentMacroF1:0.000} → {CandidateMacroF1:0.000})")]
    private partial void LogRejected(Guid organisationId, double currentMacroF1, double candidateMacroF1);
}
