using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExecutionTrap.Storage;
using Microsoft.AspNetCore.DataProtection;

namespace ExecutionTrap.Web.Connections;

/// <summary>
/// The certificate that encrypts the data-protection key ring (section <c>DataProtection</c>).
/// The key ring lives in the same database as the refresh tokens and feed URLs it protects; a
/// copy of that database must not be enough to read them.
/// </summary>
public sealed class KeyRingOptions
{
    public const string SectionName = "DataProtection";

    /// <summary>A PKCS#12 (.pfx) file holding the certificate and its private key.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The same PKCS#12 file, base64-encoded (an environment variable in containers); used when no path is set.</summary>
    public string? CertificateBase64 { get; set; }

    /// <summary>The PKCS#12 password, if it has one.</summary>
    public string? CertificatePassword { get; set; }
}

/// <summary>
/// Protects the key ring with the configured certificate. In Development without one, a
/// self-signed certificate is made once and kept in the data folder (so a restart still reads
/// the ring); anywhere else a missing certificate stops the start.
/// </summary>
internal static class KeyRingProtection
{
    public const string DevelopmentCertificateFile = "keyring-certificate.pfx";

    public static void AddKeyRingProtection(IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(KeyRingOptions.SectionName).Get<KeyRingOptions>() ?? new KeyRingOptions();
        var certificate = Load(options) ?? (builder.Environment.IsDevelopment() ? DevelopmentCertificate(DataFolder(builder)) : null);
        if (certificate is null)
        {
            // A settings check, not an exception here: the host then stops before it starts, with one line naming the setting.
            builder.Services.AddOptions<KeyRingOptions>()
                .Validate(
                    _ => false,
                    "DataProtection:CertificatePath (or DataProtection__CertificateBase64) is required outside Development: it encrypts the key ring that protects refresh tokens and feed URLs.")
                .ValidateOnStart();
            return;
        }

        builder.Services.AddDataProtection().ProtectKeysWithCertificate(certificate);
    }

    private static X509Certificate2? Load(KeyRingOptions options)
    {
        byte[] pfx;
        if (!string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            pfx = File.ReadAllBytes(options.CertificatePath);
        }
        else if (!string.IsNullOrWhiteSpace(options.CertificateBase64))
        {
            pfx = Convert.FromBase64String(options.CertificateBase64.Trim());
        }
        else
        {
            return null;
        }

        var certificate = X509CertificateLoader.LoadPkcs12(pfx, options.CertificatePassword);
        return certificate.HasPrivateKey
            ? certificate
            : throw new InvalidOperationException("DataProtection: the configured certificate has no private key; the key ring could be written but never read.");
    }

    private static string DataFolder(IHostApplicationBuilder builder)
    {
        var folder = builder.Configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>()?.DataFolder ?? "App_Data";
        return Path.IsPathRooted(folder) ? folder : Path.Combine(builder.Environment.ContentRootPath, folder);
    }

    private static X509Certificate2 DevelopmentCertificate(string folder)
    {
        var path = Path.Combine(folder, DevelopmentCertificateFile);
        if (File.Exists(path))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, password: null);
        }

        using var key = RSA.Create(3072);
        var request = new CertificateRequest("CN=ExecutionTrap development key ring", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = TimeProvider.System.GetUtcNow();
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(20));
        var pfx = created.Export(X509ContentType.Pfx);
        Directory.CreateDirectory(folder);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var file = new FileStream(path, options);
            file.Write(pfx);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process of this checkout made it first: use theirs, so both read one ring.
            return X509CertificateLoader.LoadPkcs12FromFile(path, password: null);
        }

        return X509CertificateLoader.LoadPkcs12(pfx, password: null);
    }
}
