using ExecutionTrap.Domain.Meetings;

namespace ExecutionTrap.Domain.Classification;

/// <summary>Decides a category for meetings; metadata exclusions are applied before the model runs.</summary>
public interface IMeetingClassifier
{
    /// <summary>The version of the model in use, recorded on every classification.</summary>
    string ModelVersion { get; }

    MeetingLabel Classify(Meeting meeting, bool explain = false);

    IReadOnlyList<MeetingLabel> ClassifyMany(IReadOnlyList<Meeting> meetings, bool explain = false);
}
