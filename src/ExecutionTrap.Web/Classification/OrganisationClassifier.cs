using ExecutionTrap.Classification;
using ExecutionTrap.Domain.Classification;
using ExecutionTrap.Domain.Meetings;
using NodaTime;

namespace ExecutionTrap.Web.Classification;

/// <summary>
/// One organisation's decision: what the calendar says first, then the organisation's rules (first
/// created wins), then its model (its active version, else the built-in one) for the rest.
/// </summary>
internal sealed class OrganisationClassifier(MeetingClassifier model, IReadOnlyList<CompiledRule> rules, DateTimeZone? zone = null)
    : IMeetingClassifier
{
    public string ModelVersion => model.ModelVersion;

    public IReadOnlyList<CompiledRule> Rules => rules;

    public OrganisationClassifier InZone(DateTimeZone? leaderZone) => new(model, rules, leaderZone);

    public MeetingLabel Classify(Meeting meeting, bool explain = false) => ClassifyMany([meeting], explain)[0];

    public IReadOnlyList<MeetingLabel> ClassifyMany(IReadOnlyList<Meeting> meetings, bool explain = false)
    {
        var labels = new MeetingLabel?[meetings.Count];
        var rest = new List<int>(meetings.Count);
        for (var i = 0; i < meetings.Count; i++)
        {
            labels[i] = MeetingExclusions.FromMetadata(meetings[i]) is null ? RuleLabel(meetings[i]) : null;
            if (labels[i] is null)
            {
                rest.Add(i);
            }
        }

        var decided = model.ClassifyMany([.. rest.Select(i => meetings[i])], zone, explain);
        for (var r = 0; r < rest.Count; r++)
        {
            labels[rest[r]] = decided[r];
        }

        return [.. labels.Select(l => l!)];
    }

    /// <summary>The label of the first rule that matches, or null.</summary>
    public MeetingLabel? RuleLabel(Meeting meeting) => rules.FirstOrDefault(r => r.Matches(meeting))?.Label();
}
