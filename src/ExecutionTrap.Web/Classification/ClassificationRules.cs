using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Domain.Privacy;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Storage.Sync;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace ExecutionTrap.Web.Classification;

/// <summary>A rule as an admin proposes it; a null category means "not a meeting".</summary>
internal sealed record RuleDraft(RulePatternKind Kind, string Pattern, Category? Category);

/// <summary>One title the rule would relabel, how often, from what to what. Never a private title, never one held by fewer leaders than the minimum group.</summary>
internal sealed record RuleTitleChange(string Title, string From, string To, int Meetings);

/// <summary>
/// What a rule would do to the organisation's meetings of the last four weeks. Only meetings that are not
/// private and whose exact title is held by at least <see cref="MinimumGroupSize"/> distinct leaders are
/// examined at all, so neither the titles nor the counts say anything about one person's calendar.
/// </summary>
internal sealed record RuleTestResult(int Examined, int Matched, int Changed, IReadOnlyList<RuleTitleChange> Titles, int MinimumGroupSize);

/// <summary>A request the rules cannot honour: the message names the problem; <see cref="IsForbidden"/> for access.</summary>
internal sealed class RuleRequestException(string message, bool isForbidden = false) : Exception(message)
{
    public bool IsForbidden { get; } = isForbidden;
}

/// <summary>
/// An organisation's classification rules: listing, testing against recent meetings before saving,
/// creating and deleting. Every call is scoped to the organisation of an admin.
/// </summary>
internal sealed class ClassificationRules(ExecutionTrapDbContext db, TimeProvider time, MinimumGroup group)
{
    public const int MaxTitlesShown = 50;

    public static readonly Duration TestWindow = Duration.FromDays(28);

    /// <summary>The organisation of <paramref name="adminId"/>, who must be an admin.</summary>
    public async Task<Guid> OrganisationOfAdminAsync(Guid adminId, CancellationToken cancellationToken)
    {
        var admin = await db.Leaders.AsNoTracking()
            .Where(l => l.Id == adminId)
            .Select(l => new { l.OrganisationId, l.IsAdmin })
            .SingleOrDefaultAsync(cancellationToken);
        return admin is { IsAdmin: true }
            ? admin.OrganisationId
            : throw new RuleRequestException("Only an admin of the organisation may manage its classification rules.", isForbidden: true);
    }

    public async Task<IReadOnlyList<ClassificationRule>> ListAsync(Guid organisationId, CancellationToken cancellationToken)
    {
        var rules = await db.ClassificationRules.AsNoTracking().Where(r => r.OrganisationId == organisationId).ToListAsync(cancellationToken);
        return [.. rules.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)];
    }

    /// <summary>
    /// Which of the organisation's meetings that started in the last four weeks the rule would
    /// relabel. A leader's own correction wins over rules, and what the calendar itself says
    /// (declined, cancelled…) wins over both, so neither kind counts as changed.
    /// </summary>
    /// <remarks>
    /// A tester that counted private or one-person meetings would be an oracle: an admin trying <c>^Di</c>
    /// and then <c>^Dx</c> reads a private title letter by letter from the counts. So private meetings and
    /// titles shared by fewer than the minimum group of leaders are left out before the rule is even run,
    /// and what remains (<see cref="RuleTestResult.Examined"/>) does not depend on the pattern.
    /// </remarks>
    public async Task<RuleTestResult> TestAsync(Guid organisationId, RuleDraft draft, CancellationToken cancellationToken)
    {
        var rule = Compile(Guid.Empty, draft);
        var now = Instant.FromDateTimeOffset(time.GetUtcNow());
        var from = now - TestWindow;
        var stored = await db.Meetings.AsNoTracking()
            .Where(m => m.Start >= from && m.Start <= now && !m.IsPrivate)
            .Join(
                db.Connections.Where(c => db.Leaders.Any(l => l.Id == c.LeaderId && l.OrganisationId == organisationId)),
                m => m.ConnectionId,
                c => c.Id,
                (m, c) => new { Meeting = m, c.LeaderId })
            .ToListAsync(cancellationToken);
        var examined = stored
            .GroupBy(r => r.Meeting.Title, StringComparer.Ordinal)
            .Where(g => group.Allows(g.Select(r => r.LeaderId).Distinct().Count()))
            .SelectMany(g => g)
            .ToList();

        // A title shared by enough leaders can still hide one person's part: their own Outlook category, their own
        // correction, their own decided label. So every figure is counted by the leaders behind it, and one backed by
        // fewer than the minimum group is not shown or counted at all.
        var matches = new Dictionary<string, Tally>(StringComparer.Ordinal);
        var changes = new Dictionary<(string Title, string From, string To), Tally>();
        var proposed = rule.Label();
        foreach (var (meeting, leaderId) in examined.Select(r => (r.Meeting, r.LeaderId)))
        {
            var facts = meeting.ToMeeting();
            if (meeting.CorrectedCategory is not null || MeetingExclusions.FromMetadata(facts) is not null || !rule.Matches(facts))
            {
                continue;
            }

            Add(matches, meeting.Title, leaderId);
            var current = meeting.ToLabel();
            if (current.Category != proposed.Category || current.Excluded != proposed.Excluded)
            {
                Add(changes, (meeting.Title, Name(current.Category, current.Excluded), Name(proposed.Category, proposed.Excluded)), leaderId);
            }
        }

        var matched = matches.Values.Where(t => group.Allows(t.Leaders.Count)).Sum(t => t.Meetings);
        var shownChanges = changes.Where(t => group.Allows(t.Value.Leaders.Count)).ToList();
        var changed = shownChanges.Sum(t => t.Value.Meetings);
        var shown = shownChanges
            .OrderByDescending(t => t.Value.Meetings)
            .ThenBy(t => t.Key.Title, StringComparer.Ordinal)
            .Take(MaxTitlesShown)
            .Select(t => new RuleTitleChange(t.Key.Title, t.Key.From, t.Key.To, t.Value.Meetings))
            .ToList();
        return new RuleTestResult(examined.Count, matched, changed, shown, group.Size);
    }

    private static void Add<TKey>(Dictionary<TKey, Tally> tallies, TKey key, Guid leaderId)
        where TKey : notnull
    {
        if (!tallies.TryGetValue(key, out var tally))
        {
            tallies[key] = tally = new Tally();
        }

        tally.Leaders.Add(leaderId);
        tally.Meetings++;
    }

    private sealed class Tally
    {
        public HashSet<Guid> Leaders { get; } = [];

        public int Meetings { get; set; }
    }

    public async Task<ClassificationRule> CreateAsync(Guid organisationId, RuleDraft draft, string createdBy, CancellationToken cancellationToken)
    {
        _ = Compile(Guid.Empty, draft);
        var rule = new ClassificationRule
        {
            Id = Guid.NewGuid(),
            OrganisationId = organisationId,
            Kind = draft.Kind,
            Pattern = draft.Pattern.Trim(),
            Category = draft.Category,
            CreatedBy = createdBy,
            CreatedAt = Instant.FromDateTimeOffset(time.GetUtcNow()),
        };
        db.ClassificationRules.Add(rule);
        await db.SaveChangesAsync(cancellationToken);
        return rule;
    }

    /// <summary>Deletes a rule of the organisation; false when it has no such rule.</summary>
    public async Task<bool> DeleteAsync(Guid organisationId, Guid ruleId, CancellationToken cancellationToken) =>
        await db.ClassificationRules.Where(r => r.Id == ruleId && r.OrganisationId == organisationId).ExecuteDeleteAsync(cancellationToken) > 0;

    public static string Name(Category? category, ExclusionReason? excluded) =>
        category?.ToSlug() ?? (excluded is { } reason ? reason.ToSlug() : Labels.Excluded);

    private static CompiledRule Compile(Guid id, RuleDraft draft) =>
        CompiledRule.Problem(draft.Kind, draft.Pattern) is { } problem
            ? throw new RuleRequestException(problem)
            : new CompiledRule(id, draft.Kind, draft.Pattern, draft.Category);
}
