using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.SignIn;
namespace GrpcDvc.Server.Identity;

/// <summary>
/// The "Dvc:Identity" configuration section. Every default here is the production value unless
/// it says otherwise; durations bind from "hh:mm:ss" strings.
/// </summary>
public sealed class IdentityOptions
{
    public const string Section = "Dvc:Identity";

    /// <summary>"iss" of the access tokens this server signs.</summary>
    public string Issuer { get; set; } = "grpcdvc";

    /// <summary>"aud" of the access tokens: the GrpcDvc API itself.</summary>
    public string Audience { get; set; } = "grpcdvc-api";

    /// <summary>Short, so a stolen access token is worth little; refresh tokens carry the session.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long one refresh token may wait unused before the session ends.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>A session (a refresh-token family) ends this long after sign-in, however often it is refreshed.</summary>
    public TimeSpan SessionMaxLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Tolerated difference between clocks when checking token times.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A .pfx whose certificate encrypts the Data Protection key ring at rest (the keys that seal
    /// SMS codes, TOTP seeds and signing keys live in the data_protection_keys table). Empty:
    /// the keys are stored unencrypted in the database, so a database dump alone opens every
    /// sealed secret — acceptable for development, not for production. Every instance needs the
    /// same certificate.
    /// </summary>
    public string KeyRingCertificatePath { get; set; } = "";

    /// <summary>The password of <see cref="KeyRingCertificatePath"/>, if it has one.</summary>
    public string KeyRingCertificatePassword { get; set; } = "";

    public SigningKeyOptions SigningKeys { get; set; } = new();

    public PasswordOptions Passwords { get; set; } = new();

    public OtpOptions Otp { get; set; } = new();

    public LockoutOptions Lockout { get; set; } = new();

    public RateLimitOptions RateLimits { get; set; } = new();

    public AssertionOptions Assertions { get; set; } = new();

    public DevelopmentIssuerOptions DevelopmentIssuer { get; set; } = new();

    public DevelopmentOptions Development { get; set; } = new();

    public BootstrapAdministratorOptions Bootstrap { get; set; } = new();

    /// <summary>
    /// How often an instance rereads which sessions were revoked (sign-out, reuse, disabled
    /// accounts elsewhere), so their access tokens stop working before they expire. Revocations
    /// made on this instance apply at once.
    /// </summary>
    public TimeSpan RevocationRefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    public SmsOutboxOptions Sms { get; set; } = new();

    /// <summary>The label authenticator apps show next to an official's TOTP codes.</summary>
    public string TotpIssuerLabel { get; set; } = "GrpcDvc";
}

public sealed class SigningKeyOptions
{
    /// <summary>How often an instance rereads the key ring, so rotations made elsewhere reach it.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A rotated-in key is published this long before it signs, so every instance already accepts
    /// it when the first token signed with it arrives. At least RefreshInterval in a cluster.
    /// </summary>
    public TimeSpan PublishDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long one key signs before the scheduled rotation replaces it. Short enough that a leaked
    /// key is soon worth nothing; each rotation costs only a row and a reread.
    /// </summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often each instance asks whether the signing key is due to rotate; the first instance to ask after it is due rotates.</summary>
    public TimeSpan RotationCheckInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Throws when rotation could not run: a key must outlive its publication, and the check needs a positive interval.</summary>
    public void Validate()
    {
        if (Lifetime <= PublishDelay || RotationCheckInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException(
                $"Dvc:Identity:SigningKeys needs a Lifetime longer than PublishDelay ({Lifetime} vs {PublishDelay}) and a positive RotationCheckInterval ({RotationCheckInterval}).");
        }
    }
}

public sealed class PasswordOptions
{
    /// <summary>OWASP's 2023 figure for PBKDF2-HMAC-SHA256; lower values are refused.</summary>
    public int Iterations { get; set; } = PasswordHasher.MinimumIterations;

    public int MinimumLength { get; set; } = 8;
}

public sealed class OtpOptions
{
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Wrong codes a challenge survives; the last one kills it.</summary>
    public int MaxAttempts { get; set; } = 5;

    public TimeSpan ResendInterval { get; set; } = TimeSpan.FromSeconds(60);

    public int MaxSendsPerPhonePerHour { get; set; } = 5;
}

public sealed class LockoutOptions
{
    /// <summary>Consecutive failed sign-ins that lock an account.</summary>
    public int Threshold { get; set; } = 5;

    /// <summary>The first lock; each further lock without a success in between doubles it.</summary>
    public TimeSpan BaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Permits per window for each kind of request, per client address and per account.</summary>
public sealed class RateLimitOptions
{
    public RateLimitRule SignInPerAddress { get; set; } = new() { Permits = 30, Window = TimeSpan.FromMinutes(5) };

    public RateLimitRule SignInPerAccount { get; set; } = new() { Permits = 10, Window = TimeSpan.FromMinutes(5) };

    public RateLimitRule OtpSendPerAddress { get; set; } = new() { Permits = 10, Window = TimeSpan.FromHours(1) };

    public RateLimitRule OtpVerifyPerAddress { get; set; } = new() { Permits = 30, Window = TimeSpan.FromMinutes(10) };

    public RateLimitRule LookupPerAddress { get; set; } = new() { Permits = 120, Window = TimeSpan.FromMinutes(1) };

    public RateLimitRule LookupPerAccount { get; set; } = new() { Permits = 60, Window = TimeSpan.FromMinutes(1) };

    /// <summary>
    /// How often each instance deletes the sign-in and OTP counters whose window has ended (they count
    /// as absent already, so this only bounds the table). The first purge one interval after start.
    /// </summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The rule counting <paramref name="action"/> per <paramref name="scope"/>; OTP sends and checks have one rule for both.</summary>
    public RateLimitRule RuleFor(LimitedAction action, RateLimitScope scope) => (action, scope) switch
    {
        (LimitedAction.SignIn, RateLimitScope.Address) => SignInPerAddress,
        (LimitedAction.SignIn, RateLimitScope.Account) => SignInPerAccount,
        (LimitedAction.OtpSend, _) => OtpSendPerAddress,
        (LimitedAction.OtpVerify, _) => OtpVerifyPerAddress,
        (LimitedAction.Lookup, RateLimitScope.Address) => LookupPerAddress,
        (LimitedAction.Lookup, RateLimitScope.Account) => LookupPerAccount,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    /// <summary>Throws when a configured rule cannot be counted: every rule needs at least one permit in a positive window.</summary>
    public void Validate()
    {
        (string Name, RateLimitRule Rule)[] rules =
        [
            (nameof(SignInPerAddress), SignInPerAddress), (nameof(SignInPerAccount), SignInPerAccount),
            (nameof(OtpSendPerAddress), OtpSendPerAddress), (nameof(OtpVerifyPerAddress), OtpVerifyPerAddress),
            (nameof(LookupPerAddress), LookupPerAddress), (nameof(LookupPerAccount), LookupPerAccount),
        ];
        foreach (var (name, rule) in rules)
        {
            if (rule.Permits < 1 || rule.Window <= TimeSpan.Zero)
            {
                throw new InvalidOperationException(
                    $"Dvc:Identity:RateLimits:{name} needs Permits of at least 1 and a positive Window (it has {rule.Permits} per {rule.Window}).");
            }
        }

        if (PurgeInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"Dvc:Identity:RateLimits:PurgeInterval must be positive (it is {PurgeInterval}).");
        }
    }
}

public sealed class RateLimitRule
{
    public int Permits { get; set; }

    public TimeSpan Window { get; set; }
}

public sealed class AssertionOptions
{
    /// <summary>The "aud" a trusted issuer puts in assertions meant for our portals.</summary>
    public string PortalClientId { get; set; } = "grpcdvc-portal";

    /// <summary>Assertions living longer than this (exp − iat) are refused: they are meant to be exchanged at once.</summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>1: registered in the app; 2: verified in person.</summary>
    public int MinimumLevel { get; set; } = 1;

    public List<TrustedIssuerOptions> TrustedIssuers { get; set; } = [];
}

public sealed class TrustedIssuerOptions
{
    /// <summary>The exact "iss" value.</summary>
    public string Name { get; set; } = "";

    public List<TrustedKeyOptions> Keys { get; set; } = [];
}

public sealed class TrustedKeyOptions
{
    /// <summary>Matched against the assertion's "kid" header; empty accepts any kid.</summary>
    public string KeyId { get; set; } = "";

    /// <summary>An EC P-256 (ES256) or RSA (RS256) public key, PEM "BEGIN PUBLIC KEY".</summary>
    public string PublicKeyPem { get; set; } = "";
}

public sealed class DevelopmentIssuerOptions
{
    /// <summary>Off by default: it lets anyone holding the server's data dir mint identities.</summary>
    public bool Enabled { get; set; }

    public string Name { get; set; } = "https://vneid.dev.grpcdvc.local";
}

/// <summary>
/// The development stand-ins as a service (dvc.identity.v1.DevelopmentService: read the SMS
/// outbox, mint VNeID-style assertions). Off by default; appsettings.Development.json (what
/// `dotnet run` uses) and the tests switch it on. Never in production: it hands out everyone's codes.
/// </summary>
public sealed class DevelopmentOptions
{
    /// <summary>Serves DevelopmentService and turns the development issuer on with it.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// With <see cref="Enabled"/> only: at start-up, creates the demo officials of <see cref="Identity.DemoOfficials"/>
    /// (one per role, a published password and TOTP seed) when they do not exist yet. On by default so
    /// every development server and test server has them; it does nothing while Enabled is off.
    /// </summary>
    public bool DemoOfficials { get; set; } = true;
}

/// <summary>
/// The first administrator of a deployment, created at start-up when no administrator exists yet
/// and <see cref="Username"/> is set. Without a configured password or TOTP secret, random ones
/// are generated and written to the log once, for whoever installs the system.
/// </summary>
public sealed class BootstrapAdministratorOptions
{
    /// <summary>Empty: no bootstrap.</summary>
    public string Username { get; set; } = "";

    public string FullName { get; set; } = "Quản trị hệ thống";

    /// <summary>The unit the administrator acts for; the root of the agency tree gives national scope.</summary>
    public string AgencyUnit { get; set; } = "BCA";

    /// <summary>Empty: generated and logged once.</summary>
    public string Password { get; set; } = "";

    /// <summary>Base32 TOTP seed (as in an otpauth:// URI); empty: generated and logged once.</summary>
    public string TotpSecret { get; set; } = "";
}

public sealed class SmsOutboxOptions
{
    /// <summary>Share of sends that fail at random, 0..1 (tests of the failure path; demos of retries).</summary>
    public double FailureRate { get; set; }

    /// <summary>Numbers (E.164) the gateway always refuses, as a carrier refuses an unknown subscriber.</summary>
    public List<string> FailingNumbers { get; set; } = [];

    /// <summary>Simulated gateway round trip.</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.Zero;
}
