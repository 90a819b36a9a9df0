namespace ExecutionTrap.Reports.Rendering;

/// <summary>The plain-text email: what a text-only client, a screen reader or a preview pane shows.</summary>
internal static class TextTemplates
{
    public const string Scored = """
        Execution score {{score}} (target {{target}}) — week {{weekNumber}}, {{weekDates}}

        Hi {{leaderName}},

        {{verdictSentence}}
        {{forecast}}
        {{trend}}

        WHERE THE TIME WENT
        {{categoryRows}}
        {{topMeetings}}{{delegation}}
        {{corrections}}

        --
        You get this email because you connected a calendar to ExecutionTrap.
        Unsubscribe: {{unsubscribeUrl}}
        """;

    public const string Quiet = """
        Quiet week — week {{weekNumber}}, {{weekDates}}

        Hi {{leaderName}},

        No meetings were scored this week, so there is no execution score to judge.
        {{forecast}}

        {{corrections}}

        --
        You get this email because you connected a calendar to ExecutionTrap.
        Unsubscribe: {{unsubscribeUrl}}
        """;

    public const string TopMeetings = """

        WHAT COST MOST
        {{items}}

        """;

    public const string TopMeeting = """
        {{rank}}. {{title}} — {{facts}}
           {{question}}
        """;

    public const string Delegation = """

        COULD SOMEONE ELSE GO?
        Recurring meetings you do not run, with others who could carry them:
        {{items}}

        """;

    public const string DelegationItem = """
        - {{title}} — about {{hours}} a year back ({{weekly}} this week, {{attendees}} people)
        """;
}
