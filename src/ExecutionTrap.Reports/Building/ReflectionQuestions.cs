using ExecutionTrap.Domain.Meetings;

namespace ExecutionTrap.Reports.Building;

/// <summary>One question per costly meeting, meant to make the leader pause before next week's occurrence.</summary>
internal static class ReflectionQuestions
{
    public const string Escalation = "Who could decide this without you next time?";

    public const string Firefighting = "What would stop this from happening again?";

    public const string RecurringExecution = "Could someone else go for you, or could this become an update by email?";

    public const string OneOffExecution = "What did this need from you that the owner could not settle alone?";

    public static string For(Category category, bool isRecurring) => category switch
    {
        Category.Escalation => Escalation,
        Category.Firefighting => Firefighting,
        _ => isRecurring ? RecurringExecution : OneOffExecution,
    };
}
