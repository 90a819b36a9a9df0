using System.Buffers.Text;
using System.Text;
using ExecutionTrap.Calendars.Microsoft;

namespace ExecutionTrap.UnitTests.Calendars.Microsoft;

public sealed class TenantRequestLimiterTests
{
    [Fact]
    public void TenantOf_ReadsTheTidClaim_WhenTheTokenIsAJwt()
    {
        var token = Jwt("""{"aud":"https://graph.microsoft.com","tid":"72f988bf-86f1-41af-91ab-2d7cd011db47"}""");

        var tenant = TenantRequestLimiter.TenantOf(token);

        Assert.Equal("72f988bf-86f1-41af-91ab-2d7cd011db47", tenant);
    }

    [Theory]
    [InlineData("opaque-access-token")] // personal accounts get opaque tokens
    [InlineData("a.b!.c")]
    [InlineData(null)]
    public void TenantOf_ReturnsTheSharedBucket_WhenTheTokenCannotBeRead(string? token)
    {
        var tenant = TenantRequestLimiter.TenantOf(token);

        Assert.Equal(string.Empty, tenant);
    }

    [Fact]
    public void For_GivesEachTenantItsOwnSlots()
    {
        var limiter = new TenantRequestLimiter(maxConcurrencyPerTenant: 2);

        var contoso = limiter.For(Jwt("""{"tid":"contoso"}"""));
        var fabrikam = limiter.For(Jwt("""{"tid":"fabrikam"}"""));

        Assert.NotSame(contoso, fabrikam);
        Assert.Same(contoso, limiter.For(Jwt("""{"tid":"contoso","oid":"another-user"}""")));
        Assert.Equal(2, contoso.CurrentCount);
    }

    private static string Jwt(string payload) =>
        $"{Base64Url.EncodeToString(Encoding.UTF8.GetBytes("""{"alg":"none"}"""))}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload))}.sig";
}
