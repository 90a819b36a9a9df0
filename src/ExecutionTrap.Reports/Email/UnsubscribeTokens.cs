using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace ExecutionTrap.Reports.Email;

/// <summary>
/// Signed one-click unsubscribe tokens: the leader id and an HMAC-SHA256 over it, so a link can neither
/// be forged for another leader nor changed to point at one. They do not expire: an unsubscribe link
/// in an old email must still work.
/// </summary>
internal static class UnsubscribeTokens
{
    // The purpose is part of what is signed, so a signature made with the same key for anything else never passes here.
    private static readonly byte[] Purpose = Encoding.ASCII.GetBytes("execution-trap/unsubscribe/v1:");

    public static string Create(Guid leaderId, string key)
    {
        var id = leaderId.ToByteArray();
        return Base64Url.EncodeToString(id) + "." + Base64Url.EncodeToString(Sign(id, key));
    }

    public static bool TryValidate(string? token, string key, out Guid leaderId)
    {
        leaderId = Guid.Empty;
        if (string.IsNullOrEmpty(token) || token.Length > 128)
        {
            return false;
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !TryDecode(token[..dot], out var id) || id.Length != 16 || !TryDecode(token[(dot + 1)..], out var signature))
        {
            return false;
        }

        if (!CryptographicOperations.FixedTimeEquals(signature, Sign(id, key)))
        {
            return false;
        }

        leaderId = new Guid(id);
        return true;
    }

    private static byte[] Sign(byte[] id, string key)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw new InvalidOperationException("No unsubscribe key is configured (Reports:UnsubscribeKey).");
        }

        byte[] message = [.. Purpose, .. id];
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), message);
    }

    private static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = [];
        if (!Base64Url.IsValid(text))
        {
            return false;
        }

        bytes = Base64Url.DecodeFromChars(text);
        return true;
    }
}
