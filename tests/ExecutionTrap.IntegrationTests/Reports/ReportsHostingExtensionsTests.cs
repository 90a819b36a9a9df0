using ExecutionTrap.Reports;
using ExecutionTrap.Reports.Delivery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ExecutionTrap.IntegrationTests.Reports;

public class ReportsHostingExtensionsTests
{
    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")] // a staging host mails real people: the public development key would let anyone unsubscribe them
    public async Task AddReports_RefusesToStart_WhenNoUnsubscribeKeyIsSetOutsideDevelopment(string environment)
    {
        using var host = ReportsTestHost.Build(Path.GetTempPath(), new Dictionary<string, string?>(), environment: environment);

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Reports__UnsubscribeKey", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Reports:UnsubscribeKey is required outside Development", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddReports_UsesTheDevelopmentKeyAndThePickupFolder_WhenNothingIsConfiguredInDevelopment()
    {
        var root = Path.GetTempPath();
        using var host = ReportsTestHost.Build(root, new Dictionary<string, string?>(), environment: "Development");

        var options = host.Services.GetRequiredService<IOptions<ReportsOptions>>().Value;

        Assert.Equal(ReportsOptions.DevelopmentUnsubscribeKey, options.UnsubscribeKey);
        Assert.Equal(Path.Combine(root, "App_Data", "mail"), options.PickupFolder);
        Assert.IsType<PickupFolderReportMailer>(host.Services.GetRequiredService<IReportMailer>());
    }
}
