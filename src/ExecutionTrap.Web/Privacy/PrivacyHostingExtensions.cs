using ExecutionTrap.Domain.Privacy;
using Microsoft.Extensions.Options;

namespace ExecutionTrap.Web.Privacy;

public static class PrivacyHostingExtensions
{
    /// <summary>The minimum group every admin-facing aggregate about people obeys (<c>Privacy:MinimumGroupSize</c>).</summary>
    public static IHostApplicationBuilder AddPrivacy(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptionsWithValidateOnStart<PrivacyOptions>().BindConfiguration(PrivacyOptions.SectionName).ValidateDataAnnotations();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<PrivacyOptions>>().Value.ToRule());
        return builder;
    }
}
