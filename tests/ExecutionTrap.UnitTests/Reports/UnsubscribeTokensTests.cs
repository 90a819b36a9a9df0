using ExecutionTrap.Reports.Email;

namespace ExecutionTrap.UnitTests.Reports;

public class UnsubscribeTokensTests
{
    private const string Key = "unit-test-unsubscribe-key-0123456789abcdef";
    private static readonly Guid Ana = Guid.Parse("11111111-2222-3333-4444-555555555555");
    private static readonly Guid Ben = Guid.Parse("99999999-8888-7777-6666-555555555555");

    [Fact]
    public void TryValidate_ReturnsTheLeader_WhenTheTokenIsValid()
    {
        var token = UnsubscribeTokens.Create(Ana, Key);

        var valid = UnsubscribeTokens.TryValidate(token, Key, out var leaderId);

        Assert.True(valid);
        Assert.Equal(Ana, leaderId);
    }

    [Fact]
    public void Create_IsUrlSafe()
    {
        var token = UnsubscribeTokens.Create(Ana, Key);

        Assert.Equal(token, Uri.EscapeDataString(token));
    }

    [Fact]
    public void TryValidate_Fails_WhenTheSignatureWasTampered()
    {
        var token = UnsubscribeTokens.Create(Ana, Key);
        var last = token[^1] == 'A' ? 'B' : 'A';
        var tampered = token[..^2] + last + last;

        var valid = UnsubscribeTokens.TryValidate(tampered, Key, out var leaderId);

        Assert.False(valid);
        Assert.Equal(Guid.Empty, leaderId);
    }

    [Fact]
    public void TryValidate_Fails_WhenAnotherLeadersIdCarriesThisSignature()
    {
        // The attack a plain id would allow: take your own link and put a colleague's id in it.
        var anas = UnsubscribeTokens.Create(Ana, Key);
        var bens = UnsubscribeTokens.Create(Ben, Key);
        var forged = bens[..bens.IndexOf('.', StringComparison.Ordinal)] + anas[anas.IndexOf('.', StringComparison.Ordinal)..];

        var valid = UnsubscribeTokens.TryValidate(forged, Key, out _);

        Assert.False(valid);
        Assert.NotEqual(anas, bens);
    }

    [Fact]
    public void TryValidate_Fails_WhenSignedWithAnotherKey()
    {
        var token = UnsubscribeTokens.Create(Ana, "another-key-another-key-another-key-0000");

        var valid = UnsubscribeTokens.TryValidate(token, Key, out _);

        Assert.False(valid);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData(".")]
    [InlineData("EREREiIiMzNERFVVVVVVVQ.")]
    [InlineData("!!!.???")]
    public void TryValidate_Fails_WhenTheTokenIsMalformed(string? token)
    {
        var valid = UnsubscribeTokens.TryValidate(token, Key, out _);

        Assert.False(valid);
    }
}
