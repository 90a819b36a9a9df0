using ExecutionTrap.Calendars;
using ExecutionTrap.Classification;
using ExecutionTrap.Reports;
using ExecutionTrap.Storage;
using ExecutionTrap.Web.Auth;
using ExecutionTrap.Web.Classification;
using ExecutionTrap.Web.Endpoints;
using ExecutionTrap.Web.Hosting;
using ExecutionTrap.Web.Jobs;
using ExecutionTrap.Web.Onboarding;
using ExecutionTrap.Web.Privacy;

var builder = WebApplication.CreateBuilder(args);
builder.AddObservability();
builder.AddStorage();
builder.AddCalendars();
builder.AddClassification();
builder.AddReports();
builder.AddJobs();
builder.AddOnboarding();
builder.AddOperations();
builder.AddClassificationServices();
builder.AddPrivacy();
builder.AddAuth();

var app = builder.Build();
if (!app.SettingsAreValid())
{
    return 1;
}

if (await app.RunMigrationsIfRequestedAsync(args))
{
    return 0;
}

await app.PrepareStorageAsync();
app.UseObservability();
app.UseHostRole();
app.UseAuth();
app.MapOperations();
app.MapLeaderPages();
app.MapAdminPages();
app.MapReportPreviewEndpoints();
app.MapReportAdminEndpoints();
app.MapUnsubscribeEndpoints();
app.MapClassificationEndpoints();
app.MapJobsDashboard();
await app.RunAsync();
return 0;

/// <summary>The composition root, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
