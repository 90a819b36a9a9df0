using ExecutionTrap.Reports.Delivery;
using ExecutionTrap.Reports.Email;
using ExecutionTrap.Reports.Rendering;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ExecutionTrap.Reports;

public static class ReportsHostingExtensions
{
    /// <summary>
    /// Registers the weekly email: options ("Reports"), the renderer, the composer and the mailer — SMTP when
    /// Reports:Smtp:Host is set, otherwise .eml files in Reports:PickupFolder. Only in Development does an empty
    /// Reports:UnsubscribeKey fall back to a fixed development key; every other environment (Staging included) refuses to start without one.
    /// </summary>
    public static IHostApplicationBuilder AddReports(this IHostApplicationBuilder builder)
    {
        var environment = builder.Environment;
        var isDevelopment = environment.IsDevelopment();

        builder.Services.AddOptionsWithValidateOnStart<ReportsOptions>()
            .BindConfiguration(ReportsOptions.SectionName)
            .ValidateDataAnnotations();
        builder.Services.PostConfigure<ReportsOptions>(options =>
        {
            if (!Path.IsPathRooted(options.PickupFolder))
            {
                options.PickupFolder = Path.Combine(environment.ContentRootPath, options.PickupFolder);
            }

            // A per-process random key would break links sent by another worker; a fixed, public key is fine only on a
            // developer's machine. A staging host sends real mail to real addresses, so it needs a secret of its own.
            if (isDevelopment && string.IsNullOrEmpty(options.UnsubscribeKey))
            {
                options.UnsubscribeKey = ReportsOptions.DevelopmentUnsubscribeKey;
            }
        });
        builder.Services.AddSingleton<IValidateOptions<ReportsOptions>>(new ReportsOptionsValidator(allowDevelopmentKey: isDevelopment));

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<WeeklyReportRenderer>();
        builder.Services.AddSingleton<ReportEmailComposer>();
        builder.Services.AddSingleton<SmtpReportMailer>();
        builder.Services.AddSingleton<PickupFolderReportMailer>();
        builder.Services.AddSingleton<IReportMailer>(services =>
            string.IsNullOrWhiteSpace(services.GetRequiredService<IOptions<ReportsOptions>>().Value.Smtp.Host)
                ? services.GetRequiredService<PickupFolderReportMailer>()
                : services.GetRequiredService<SmtpReportMailer>());
        builder.Services.AddSingleton<WeeklyReportSender>();
        return builder;
    }
}
