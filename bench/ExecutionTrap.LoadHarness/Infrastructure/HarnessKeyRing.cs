using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ExecutionTrap.LoadHarness.Infrastructure;

/// <summary>
/// The key-ring certificate the harness gives the seeding host and every worker: outside
/// Development the service does not start without one, and all processes must share it to read
/// the refresh tokens the seeding wrote.
/// </summary>
internal static class HarnessKeyRing
{
    private static readonly Lazy<string> Pfx = new(() =>
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=ExecutionTrap load harness key ring", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = TimeProvider.System.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        return Convert.ToBase64String(certificate.Export(X509ContentType.Pfx));
    });

    public static string Base64Pfx => Pfx.Value;
}
