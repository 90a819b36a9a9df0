namespace ExecutionTrap.Reports.Rendering;

/// <summary>
/// The HTML email. Tables and inline styles carry the layout because Outlook's Word engine and Gmail ignore
/// most else; the style block only adds dark mode and small-screen padding where a client supports it.
/// Every value put into these templates is HTML-encoded by the renderer before it arrives here.
/// </summary>
internal static class HtmlTemplates
{
    public const string Font = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

    // overflow-wrap:anywhere on the content cell: a title without spaces (a pasted link) wraps instead of
    // widening the card past a phone's screen; "anywhere" also shrinks the cell's minimum width, "break-word" does not.
    public const string Page = $$$"""
        <!DOCTYPE html>
        <html lang="en" dir="ltr" xmlns="http://www.w3.org/1999/xhtml">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <meta name="supported-color-schemes" content="light dark">
        <title>{{subject}}</title>
        <style>
          body { margin: 0; padding: 0; width: 100% !important; }
          @media (prefers-color-scheme: dark) {
            .et-page, .et-body { background-color: #17181a !important; }
            .et-card { background-color: #232427 !important; }
            .et-ink, .et-ink h1, .et-ink h2, .et-ink p, .et-ink td, .et-ink th, .et-ink li { color: #e8eaed !important; }
            .et-ink .et-muted, .et-muted { color: #bdc1c6 !important; }
            .et-ink .et-link, .et-link { color: #8ab4f8 !important; }
            .et-ink .et-trapped { color: #f28b82 !important; }
            .et-ink .et-drifting { color: #fdd663 !important; }
            .et-ink .et-ontarget { color: #81c995 !important; }
            .et-ink .et-rule, .et-rule { border-color: #3c4043 !important; }
          }
          @media screen and (max-width: 620px) {
            .et-pad { padding: 16px !important; }
            .et-score { font-size: 36px !important; }
          }
        </style>
        </head>
        <body class="et-body" style="margin:0;padding:0;background-color:#f1f3f4;">
        <div style="display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;opacity:0;overflow:hidden;mso-hide:all;">{{preheader}}</div>
        <table role="presentation" class="et-page" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f1f3f4;">
        <tr>
        <td align="center" style="padding:16px 8px;">
        <!--[if mso]><table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->
        <table role="presentation" class="et-card" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background-color:#ffffff;border-radius:8px;">
        <tr>
        <td class="et-pad et-ink" style="padding:24px 20px;font-family:{{{Font}}};font-size:16px;line-height:24px;color:#202124;text-align:left;overflow-wrap:anywhere;word-break:break-word;">
        {{content}}
        <p class="et-muted" style="margin:24px 0 0 0;padding-top:16px;border-top:1px solid #dadce0;font-size:13px;line-height:20px;color:#5f6368;" >You get this email because you connected a calendar to ExecutionTrap. <a class="et-link" href="{{unsubscribeUrl}}" style="color:#1a56a8;text-decoration:underline;">Unsubscribe</a></p>
        </td>
        </tr>
        </table>
        <!--[if mso]></td></tr></table><![endif]-->
        </td>
        </tr>
        </table>
        </body>
        </html>
        """;

    public const string Scored = """
        <p class="et-muted" style="margin:0 0 4px 0;font-size:14px;line-height:20px;color:#5f6368;">Week {{weekNumber}} · {{weekDates}} · {{leaderName}}</p>
        <h1 style="margin:0 0 8px 0;font-size:28px;line-height:36px;font-weight:700;color:#202124;">Execution score <span class="et-score" style="font-size:44px;line-height:48px;">{{score}}</span> <span class="et-muted" style="font-size:18px;font-weight:400;color:#5f6368;white-space:nowrap;">(target {{target}})</span></h1>
        <p class="{{verdictClass}}" style="margin:0 0 8px 0;font-size:18px;line-height:26px;font-weight:700;color:{{verdictColor}};">{{verdictSentence}}</p>
        {{forecast}}
        {{chart}}
        <h2 style="margin:24px 0 8px 0;font-size:20px;line-height:28px;color:#202124;">Where the time went</h2>
        <table class="et-ink" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;font-size:15px;line-height:22px;">
        <tr><th scope="col" align="left" class="et-muted et-rule" style="padding:4px 0;border-bottom:1px solid #dadce0;font-weight:400;color:#5f6368;">Category</th><th scope="col" align="right" class="et-muted et-rule" style="padding:4px 0;border-bottom:1px solid #dadce0;font-weight:400;color:#5f6368;">Time</th><th scope="col" align="right" class="et-muted et-rule" style="padding:4px 0;border-bottom:1px solid #dadce0;font-weight:400;color:#5f6368;">Share</th></tr>
        {{categoryRows}}
        </table>
        {{topMeetings}}
        {{delegation}}
        {{corrections}}
        """;

    public const string Quiet = """
        <p class="et-muted" style="margin:0 0 4px 0;font-size:14px;line-height:20px;color:#5f6368;">Week {{weekNumber}} · {{weekDates}} · {{leaderName}}</p>
        <h1 style="margin:0 0 8px 0;font-size:28px;line-height:36px;font-weight:700;color:#202124;">Quiet week</h1>
        <p style="margin:0 0 8px 0;color:#202124;">No meetings were scored this week, so there is no execution score to judge. Enjoy the room it gave you.</p>
        {{forecast}}
        {{corrections}}
        """;

    public const string Forecast = """
        <p style="margin:0 0 8px 0;color:#202124;">{{sentence}}</p>
        """;

    public const string Chart = """
        <img src="cid:{{contentId}}" width="{{width}}" height="{{height}}" alt="{{alt}}" style="display:block;width:100%;max-width:{{width}}px;height:auto;border:0;margin:16px 0 0 0;">
        """;

    public const string ChartAsText = """
        <p class="et-muted" style="margin:16px 0 0 0;font-size:14px;line-height:20px;color:#5f6368;">{{alt}}</p>
        """;

    public const string CategoryRow = """
        <tr><td class="et-rule" style="padding:6px 0;border-bottom:1px solid #f1f3f4;{{weight}}">{{name}}</td><td align="right" class="et-rule" style="padding:6px 0;border-bottom:1px solid #f1f3f4;white-space:nowrap;{{weight}}">{{time}}</td><td align="right" class="et-rule" style="padding:6px 0 6px 12px;border-bottom:1px solid #f1f3f4;white-space:nowrap;{{weight}}">{{share}}</td></tr>
        """;

    public const string TopMeetings = """
        <h2 style="margin:24px 0 8px 0;font-size:20px;line-height:28px;color:#202124;">What cost most</h2>
        <ol style="margin:0;padding:0 0 0 24px;">
        {{items}}
        </ol>
        """;

    public const string TopMeeting = """
        <li style="margin:0 0 12px 0;color:#202124;"><strong>{{title}}</strong> <span class="et-muted" style="color:#5f6368;">— {{facts}}</span><br><em>{{question}}</em></li>
        """;

    public const string Delegation = """
        <h2 style="margin:24px 0 8px 0;font-size:20px;line-height:28px;color:#202124;">Could someone else go?</h2>
        <p style="margin:0 0 8px 0;color:#202124;">Recurring meetings you do not run, with others who could carry them:</p>
        <ul style="margin:0;padding:0 0 0 24px;">
        {{items}}
        </ul>
        """;

    public const string DelegationItem = """
        <li style="margin:0 0 8px 0;color:#202124;"><strong>{{title}}</strong> — about {{hours}} a year back <span class="et-muted" style="color:#5f6368;">({{weekly}} this week, {{attendees}} people)</span></li>
        """;

    public const string Corrections = """
        <p style="margin:24px 0 0 0;color:#202124;">{{lead}} <a class="et-link" href="{{url}}" style="color:#1a56a8;text-decoration:underline;">Correct categories for week {{weekNumber}}</a></p>
        """;
}
