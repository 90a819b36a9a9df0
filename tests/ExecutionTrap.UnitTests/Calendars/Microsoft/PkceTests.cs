using ExecutionTrap.Calendars.Microsoft;

namespace ExecutionTrap.UnitTests.Calendars.Microsoft;

public sealed class PkceTests
{
    [Fact]
    public void ChallengeFor_MatchesTheRfc7636Example()
    {
        var challenge = Pkce.ChallengeFor("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");

        Assert.Equal("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", challenge);
    }

    [Fact]
    public void CreateVerifier_ReturnsAUrlSafeVerifierOfAllowedLength()
    {
        var verifier = Pkce.CreateVerifier();

        Assert.InRange(verifier.Length, 43, 128);
        Assert.All(verifier, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"'{c}' is not URL-safe"));
        Assert.NotEqual(verifier, Pkce.CreateVerifier());
    }
}
