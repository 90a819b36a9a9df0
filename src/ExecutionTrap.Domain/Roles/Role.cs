namespace ExecutionTrap.Domain.Roles;

/// <summary>The highest execution score a role should carry, 0–100 (label-guide.md).</summary>
public readonly record struct RoleTarget
{
    public const double Default = 50;

    public RoleTarget(double executionScore)
    {
        if (double.IsNaN(executionScore) || executionScore < 0 || executionScore > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(executionScore), executionScore, "A target execution score is between 0 and 100.");
        }

        ExecutionScore = executionScore;
    }

    public double ExecutionScore { get; }
}

/// <summary>How a week stands against the role's target.</summary>
public enum Verdict
{
    OnTarget,
    Drifting,
    Trapped,
}

public static class Verdicts
{
    // Above the target is trapped, as the label guide defines it; the band just below the
    // target is "drifting", so a leader sees the trend before the line is crossed.
    public static Verdict For(double score, RoleTarget target, double tolerance = 5)
    {
        if (score <= target.ExecutionScore - tolerance)
        {
            return Verdict.OnTarget;
        }

        return score <= target.ExecutionScore ? Verdict.Drifting : Verdict.Trapped;
    }
}
