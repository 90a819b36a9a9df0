using ExecutionTrap.Reports;

namespace ExecutionTrap.UnitTests.Reports;

public class ReportsOptionsValidatorTests
{
    [Fact]
    public void Validate_Fails_WhenProductionHasNoUnsubscribeKey()
    {
        var options = new ReportsOptions();

        var result = new ReportsOptionsValidator(allowDevelopmentKey: false).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Reports:UnsubscribeKey is required", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Fails_WhenProductionUsesTheDevelopmentKey()
    {
        var options = new ReportsOptions { UnsubscribeKey = ReportsOptions.DevelopmentUnsubscribeKey };

        var result = new ReportsOptionsValidator(allowDevelopmentKey: false).Validate(null, options);

        Assert.True(result.Failed);
    }

    [Fact]
    public void Validate_Succeeds_WhenDefaultsAndADevelopmentKeyAreUsedOutsideProduction()
    {
        var options = new ReportsOptions { UnsubscribeKey = ReportsOptions.DevelopmentUnsubscribeKey };

        var result = new ReportsOptionsValidator(allowDevelopmentKey: true).Validate(null, options);

        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData("not an address", "http://localhost:5080", "Reports:From")]
    [InlineData("reports@example.com", "ftp://example.com", "Reports:PublicBaseUrl")]
    public void Validate_NamesTheBadSetting(string from, string baseUrl, string named)
    {
        var options = new ReportsOptions { From = from, PublicBaseUrl = baseUrl, UnsubscribeKey = new string('k', 40) };

        var result = new ReportsOptionsValidator(allowDevelopmentKey: false).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(named, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Fails_WhenAnSmtpUsernameHasNoPassword()
    {
        var options = new ReportsOptions { UnsubscribeKey = new string('k', 40) };
        options.Smtp.Host = "smtp.example.com";
        options.Smtp.Username = "reports";

        var result = new ReportsOptionsValidator(allowDevelopmentKey: false).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Username and Password", result.FailureMessage, StringComparison.Ordinal);
    }
}
