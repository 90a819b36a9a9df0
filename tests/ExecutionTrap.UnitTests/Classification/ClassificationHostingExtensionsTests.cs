using ExecutionTrap.Classification;
using ExecutionTrap.Domain.Classification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ExecutionTrap.UnitTests.Classification;

public sealed class ClassificationHostingExtensionsTests
{
    [Fact]
    public void AddClassification_RegistersOneSharedClassifier_WithTheBuiltInModel()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.AddClassification();
        using var host = builder.Build();

        var first = host.Services.GetRequiredService<IMeetingClassifier>();
        var second = host.Services.GetRequiredService<IMeetingClassifier>();

        Assert.Same(first, second);
        Assert.StartsWith("m-", first.ModelVersion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_Fails_WhenTheConfiguredModelFileIsMissing()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration["Classification:ModelPath"] = "/nonexistent/etrap-model.zip";
        builder.AddClassification();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => host.StartAsync());

        Assert.Contains("/nonexistent/etrap-model.zip", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_Fails_WhenUncertainBelowIsOutOfRange()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration["Classification:UncertainBelow"] = "1.5";
        builder.AddClassification();
        using var host = builder.Build();

        var error = await Assert.ThrowsAnyAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("UncertainBelow", error.Message, StringComparison.Ordinal);
    }
}
