using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace ExecutionTrap.Calendars.Microsoft;

/// <summary>Proof Key for Code Exchange (RFC 7636, S256) for the connect flow.</summary>
internal static class Pkce
{
    public const string Method = "S256";

    /// <summary>A fresh 43-character verifier; the host keeps it with the state until the callback.</summary>
    public static string CreateVerifier() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string ChallengeFor(string codeVerifier) =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(codeVerifier)));
}
