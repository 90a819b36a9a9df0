using ExecutionTrap.Storage.Entities;
using Microsoft.AspNetCore.DataProtection;

namespace ExecutionTrap.Web.Connections;

/// <summary>
/// ICS feed URLs encrypted with the key ring that protects refresh tokens: a published calendar's
/// link reads the whole calendar without any sign-in, so it is kept like a password.
/// </summary>
internal sealed class FeedAddressProtector(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("ExecutionTrap.ConnectionSecrets.FeedAddress.v1");

    public string Protect(string address) => _protector.Protect(address);

    public string Unprotect(string protectedAddress) => _protector.Unprotect(protectedAddress);

    /// <summary>The address a sync reads: the decrypted feed URL, else the stored (non-secret) address.</summary>
    public string ReadableAddress(CalendarConnection connection) =>
        connection.ProtectedAddress is { } protectedAddress ? Unprotect(protectedAddress) : connection.Address;
}
