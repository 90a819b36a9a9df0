using System.ComponentModel.DataAnnotations;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Web.Jobs;
using Microsoft.Extensions.Configuration;

namespace ExecutionTrap.UnitTests.Web.Jobs;

public sealed class JobsOptionsTests
{
    [Fact]
    public void Bind_ReadsWorkerCountsPerQueue_AndKeepsTheOtherProviderCaps()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Jobs:Queues:sync:Workers"] = "6",
            ["Jobs:Queues:email:Workers"] = "0",
            ["Jobs:ProviderConcurrency:Microsoft"] = "2",
        }).Build();

        var options = configuration.GetSection(JobsOptions.SectionName).Get<JobsOptions>()!;

        Assert.Equal(6, options.Queues["sync"].Workers);
        Assert.Equal(0, options.Queues["email"].Workers);
        Assert.Equal(2, options.ProviderConcurrency[CalendarProvider.Microsoft]);
        Assert.Equal(8, options.ProviderConcurrency[CalendarProvider.Google]);
    }

    [Fact]
    public void Validate_NamesTheQueue_WhenItIsNotOneOfOurs()
    {
        var options = new JobsOptions { Queues = { ["synk"] = new JobQueueOptions { Workers = 2 } } };

        var errors = Validate(options);

        var error = Assert.Single(errors);
        Assert.Contains("Jobs:Queues:synk is not a queue", error, StringComparison.Ordinal);
        Assert.Contains("sync", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Refuses_AProviderCapBelowOne()
    {
        var options = new JobsOptions { ProviderConcurrency = { [CalendarProvider.Google] = 0 } };

        var errors = Validate(options);

        Assert.Contains(errors, e => e.Contains("Jobs:ProviderConcurrency:Google", StringComparison.Ordinal));
    }

    private static List<string> Validate(JobsOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Select(r => r.ErrorMessage!).ToList();
    }
}
