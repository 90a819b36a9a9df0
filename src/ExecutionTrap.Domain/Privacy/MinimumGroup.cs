namespace ExecutionTrap.Domain.Privacy;

/// <summary>
/// The one privacy rule for anything that speaks of more than one leader: an aggregate (a score spread,
/// a count, a title shared across calendars) is shown only when at least <see cref="Size"/> distinct
/// leaders stand behind it. Below that, a minimum or a median is one person's number, and a title is
/// one person's meeting, so the aggregate is hidden rather than rounded or blurred.
/// </summary>
public sealed record MinimumGroup
{
    /// <summary>The size used unless an operator sets <c>Privacy:MinimumGroupSize</c>.</summary>
    public const int DefaultSize = 5;

    /// <summary>
    /// Never smaller: with two, each leader can subtract themselves from the pair; with three, a spread
    /// still needs two colluders to single anyone out.
    /// </summary>
    public const int SmallestSize = 3;

    public MinimumGroup(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, SmallestSize);
        Size = size;
    }

    public static MinimumGroup Default { get; } = new(DefaultSize);

    public int Size { get; }

    /// <summary>Whether an aggregate over <paramref name="distinctLeaders"/> different leaders may be shown.</summary>
    public bool Allows(int distinctLeaders) => distinctLeaders >= Size;

    /// <summary>What a page says in place of a hidden aggregate.</summary>
    public string HiddenReason => $"fewer than {Size} leaders: hidden to protect privacy";
}
