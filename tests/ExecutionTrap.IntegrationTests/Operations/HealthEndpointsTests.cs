using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ExecutionTrap.IntegrationTests.Reports;
using ExecutionTrap.IntegrationTests.Support;

namespace ExecutionTrap.IntegrationTests.Operations;

[Collection(PostgresGroup.Name)]
public sealed class HealthEndpointsTests(SmtpSinkFixture smtp) : IClassFixture<SmtpSinkFixture>
{
    [Fact]
    public async Task Ready_ReportsEveryCheckHealthy_WhenNoSmtpRelayIsConfigured()
    {
        await using var app = OperationsApp.Embedded();
        var client = app.CreateClient();

        var response = await client.GetAsync("/healthz/ready");
        var checks = await ChecksAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", checks["database"]);
        Assert.Equal("Healthy", checks["jobs"]);
        Assert.Equal("Healthy", checks["smtp"]);
    }

    [Fact]
    public async Task Ready_IsHealthy_WhenTheSmtpRelayAnswersEhlo()
    {
        await using var app = OperationsApp.Embedded(SmtpAt(smtp.Port));
        var client = app.CreateClient();

        var response = await client.GetAsync("/healthz/ready");
        var checks = await ChecksAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", checks["smtp"]);
    }

    [Fact]
    public async Task Ready_IsUnavailable_WhileLiveAndHealthzStayUp_WhenTheSmtpRelayDoesNotAnswer()
    {
        await using var app = OperationsApp.Embedded([.. SmtpAt(ClosedPort()), ("Operations:SmtpCheckTimeoutSeconds", "2")]);
        var client = app.CreateClient();

        var ready = await client.GetAsync("/healthz/ready");
        var checks = await ChecksAsync(ready);
        var live = await client.GetAsync("/healthz/live");
        var healthz = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", checks["smtp"]);
        Assert.Equal("Healthy", checks["database"]);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
    }

    private static (string, string?)[] SmtpAt(int port) =>
        [("Reports:Smtp:Host", "127.0.0.1"), ("Reports:Smtp:Port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Reports:Smtp:StartTls", "None")];

    private static async Task<Dictionary<string, string>> ChecksAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("checks").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetProperty("status").GetString()!);
    }

    // A port that was free a moment ago: nothing listens there, so a connect is refused at once.
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
