var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/healthz", () => "ok");
app.Run();

/// <summary>The composition root, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
