using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ExecutionTrap.Reports;

/// <summary>What data annotations cannot say: a parseable sender, a usable signing key, a complete SMTP login.</summary>
internal sealed class ReportsOptionsValidator(bool allowDevelopmentKey) : IValidateOptions<ReportsOptions>
{
    public const int MinimumKeyLength = 32;

    public ValidateOptionsResult Validate(string? name, ReportsOptions options)
    {
        var failures = new List<string>();

        if (!MailboxAddress.TryParse(options.From, out _))
        {
            failures.Add($"Reports:From '{options.From}' is not a mail address such as \"ExecutionTrap <reports@example.com>\".");
        }

        if (!Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
        {
            failures.Add($"Reports:PublicBaseUrl '{options.PublicBaseUrl}' is not an absolute http(s) address.");
        }

        if (string.IsNullOrEmpty(options.UnsubscribeKey))
        {
            failures.Add("Reports:UnsubscribeKey is required outside Development: set Reports__UnsubscribeKey to a random secret of at least 32 characters, the same on every worker.");
        }
        else if (options.UnsubscribeKey.Length < MinimumKeyLength)
        {
            failures.Add($"Reports:UnsubscribeKey is too short: use at least {MinimumKeyLength} random characters.");
        }
        else if (!allowDevelopmentKey && options.UnsubscribeKey == ReportsOptions.DevelopmentUnsubscribeKey)
        {
            failures.Add("Reports:UnsubscribeKey is the development key, which anyone can read: set a secret of your own outside Development.");
        }

        var smtpResults = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options.Smtp, new ValidationContext(options.Smtp), smtpResults, validateAllProperties: true))
        {
            failures.AddRange(smtpResults.Select(r => $"Reports:Smtp: {r.ErrorMessage}"));
        }

        if (string.IsNullOrEmpty(options.Smtp.Username) != string.IsNullOrEmpty(options.Smtp.Password))
        {
            failures.Add("Reports:Smtp needs both Username and Password, or neither.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
