using ExecutionTrap.Calendars;
using ExecutionTrap.Classification;
using ExecutionTrap.Reports;
using ExecutionTrap.Storage;
using ExecutionTrap.Web.Auth;
using ExecutionTrap.Web.Endpoints;
using ExecutionTrap.Web.Hosting;
using ExecutionTrap.Web.Jobs;
using ExecutionTrap.Web.Onboarding;

var builder = WebApplication.CreateBuilder(args);
builder.AddObservability();
builder.AddStorage();
builder.AddCalendars();
builder.AddClassification();
builder.AddReports();
builder.AddJobs();
builder.AddOnboarding();
builder.AddAuth();

var app = builder.Build();
await app.PrepareStorageAsync();
app.UseObservability();
app.UseAuth();
app.MapHealthChecks("/healthz").AllowAnonymous();
app.MapLeaderPages();
app.MapAdminPages();
app.MapJobsDashboard();
await app.RunAsync();

/// <summary>The composition root, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
