using System.ComponentModel.DataAnnotations;

namespace ExecutionTrap.Reports;

/// <summary>The weekly email: who sends it, where its links point and how it is delivered ("Reports" section).</summary>
public sealed class ReportsOptions
{
    public const string SectionName = "Reports";

    /// <summary>The key used outside production when none is configured; never accepted in production.</summary>
    public const string DevelopmentUnsubscribeKey = "development-only-unsubscribe-key-not-for-production";

    /// <summary>The sender, as an RFC 5322 mailbox ("ExecutionTrap &lt;reports@example.com&gt;").</summary>
    [Required]
    public string From { get; set; } = "ExecutionTrap <reports@localhost>";

    /// <summary>Where the web app answers; the links in the email (corrections, unsubscribe) start with it.</summary>
    [Required]
    [Url]
    public string PublicBaseUrl { get; set; } = "http://localhost:5080";

    /// <summary>The folder .eml files are written to when no SMTP host is set; relative to the content root.</summary>
    [Required]
    public string PickupFolder { get; set; } = "App_Data/mail";

    /// <summary>
    /// The secret that signs unsubscribe links (HMAC-SHA256), at least 32 characters and the same on every
    /// worker. Required in production; a fixed development key is used elsewhere when empty.
    /// </summary>
    public string UnsubscribeKey { get; set; } = "";

    /// <summary>A label with a confidence below this marks its meeting as uncertain in the report, 0–1.</summary>
    [Range(0.0, 1.0)]
    public double UncertainBelow { get; set; } = 0.5;

    /// <summary>SMTP delivery; used when <see cref="SmtpOptions.Host"/> is set, otherwise the pickup folder is.</summary>
    [Required]
    public SmtpOptions Smtp { get; set; } = new();
}

/// <summary>How to reach the SMTP relay ("Reports:Smtp").</summary>
public sealed class SmtpOptions
{
    /// <summary>The relay's host name; empty means reports go to the pickup folder instead.</summary>
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    public StartTlsMode StartTls { get; set; } = StartTlsMode.Auto;

    /// <summary>Set both or neither; the password comes from the environment (Reports__Smtp__Password).</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>How long one SMTP command may take before the send fails and the job retries.</summary>
    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 60;
}

/// <summary>Whether the SMTP connection is encrypted.</summary>
public enum StartTlsMode
{
    /// <summary>TLS on connect on port 465, STARTTLS elsewhere when the server offers it.</summary>
    Auto,

    /// <summary>Encrypted or no delivery: TLS on connect on port 465, required STARTTLS elsewhere.</summary>
    Always,

    /// <summary>Plain text, for a relay on localhost or inside a trusted network only.</summary>
    None,
}
