using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ExecutionTrap.IntegrationTests.Support;

/// <summary>
/// A key-ring certificate for hosts started outside Development, which refuse to start without
/// one (DataProtection:CertificateBase64), made once per test run.
/// </summary>
internal static class TestKeyRingCertificate
{
    private static readonly Lazy<string> Pfx = new(() =>
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=ExecutionTrap test key ring", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = TimeProvider.System.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        return Convert.ToBase64String(certificate.Export(X509ContentType.Pfx));
    });

    public const string Setting = "DataProtection:CertificateBase64";

    public static string Base64Pfx => Pfx.Value;
}
