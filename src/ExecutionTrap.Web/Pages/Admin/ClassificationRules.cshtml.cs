using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Web.Auth;
using ExecutionTrap.Web.Classification;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ExecutionTrap.Web.Pages.Admin;

internal sealed class ClassificationRulesModel(ClassificationRules rules, ExecutionTrapDbContext db) : PageModel
{
    public IReadOnlyList<ClassificationRule> Rules { get; private set; } = [];

    public string? Error { get; private set; }

    /// <summary>What the last "Test against recent titles" found; null until the admin tests a draft.</summary>
    public RuleTestResult? TestResult { get; private set; }

    public RulePatternKind Kind { get; private set; } = RulePatternKind.TitleContains;

    public string Pattern { get; private set; } = "";

    public string Category { get; private set; } = Labels.AllCategories[0].ToSlug();

    public static string KindName(RulePatternKind kind) => kind switch
    {
        RulePatternKind.TitleContains => "Title contains",
        RulePatternKind.TitleRegex => "Title matches regex",
        RulePatternKind.ProviderCategoryEquals => "Provider category equals",
        _ => kind.ToString(),
    };

    public static string CategoryName(ClassificationRule rule) =>
        ClassificationRules.Name(rule.Category, rule.Category is null ? ExclusionReason.NotAMeeting : null);

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Rules = await rules.ListAsync(User.OrganisationId(), cancellationToken);

    public Task<IActionResult> OnPostTestAsync(RulePatternKind kind, string? pattern, string? category, CancellationToken cancellationToken) =>
        Refusable(kind, pattern, category, async draft =>
        {
            TestResult = await rules.TestAsync(User.OrganisationId(), draft, cancellationToken);
            await OnGetAsync(cancellationToken);
            return Page();
        }, cancellationToken);

    public Task<IActionResult> OnPostCreateAsync(RulePatternKind kind, string? pattern, string? category, CancellationToken cancellationToken) =>
        Refusable(kind, pattern, category, async draft =>
        {
            var leaderId = User.LeaderId();
            var email = await db.Leaders.AsNoTracking().Where(l => l.Id == leaderId).Select(l => l.Email).SingleAsync(cancellationToken);
            await rules.CreateAsync(User.OrganisationId(), draft, email, cancellationToken);
            TempData["Message"] = "Rule created; it applies to meetings classified from now on.";
            return RedirectToPage();
        }, cancellationToken);

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await rules.DeleteAsync(User.OrganisationId(), id, cancellationToken))
        {
            return NotFound();
        }

        TempData["Message"] = "Rule deleted.";
        return RedirectToPage();
    }

    // The draft stays in the form whether it was tested, refused or not.
    private async Task<IActionResult> Refusable(
        RulePatternKind kind, string? pattern, string? category, Func<RuleDraft, Task<IActionResult>> action, CancellationToken cancellationToken)
    {
        Kind = kind;
        Pattern = pattern ?? "";
        Category = category ?? "";
        try
        {
            return await action(ToDraft(kind, Pattern, Category));
        }
        catch (RuleRequestException e)
        {
            Error = e.Message;
            TestResult = null;
            await OnGetAsync(cancellationToken);
            return Page();
        }
    }

    private static RuleDraft ToDraft(RulePatternKind kind, string pattern, string category)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new RuleRequestException("Choose what the rule compares: title contains, title regex or provider category.");
        }

        if (category.Equals(Labels.Excluded, StringComparison.OrdinalIgnoreCase))
        {
            return new RuleDraft(kind, pattern, null);
        }

        return Labels.TryParseCategory(category, out var parsed)
            ? new RuleDraft(kind, pattern, parsed)
            : throw new RuleRequestException($"'{category}' is not a category or 'excluded'.");
    }
}
