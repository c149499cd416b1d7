using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Grpc.Core;
using GrpcDvc.Contracts.Identity.V1;
using GrpcDvc.Server.Identity.Officials;
using GrpcDvc.Server.Population;
using GrpcDvc.Server.Storage;
using GrpcDvc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OtpNet;
using Xunit.Abstractions;

namespace GrpcDvc.Tests.Identity.Grpc;

/// <summary>
/// No secret reaches the logging pipeline: the server runs with every category at Trace and a
/// provider that keeps every line (message, structured properties, scopes, exception), while a
/// citizen registers, signs in and refreshes, and the bootstrap administrator (generated
/// credentials) signs in and refreshes. Then each secret seen on the way is searched for.
/// </summary>
public sealed partial class SecretsInLogsTests(ITestOutputHelper output)
{
    private const string IdNumber = "001090001234";
    private const string Phone = "0912345678";
    private const string CitizenPassword = "mat-khau-rat-dai";

    [Fact]
    public async Task Logs_WhileRegisteringSigningInRefreshingAndBootstrapping_HoldNoSecret()
    {
        var captured = new CapturingLoggerProvider();
        var secrets = new List<(string What, string Value)>();
        await using (var server = await InProcessServer.StartWithServicesAsync(
            services =>
            {
                // Only the capturing provider: the console at Trace would flood the test output with the same lines.
                services.RemoveAll<ILoggerProvider>();
                services.AddSingleton<ILoggerProvider>(captured);
            },
            null,
            "--Logging:LogLevel:Default=Trace",
            "--Logging:LogLevel:Microsoft=Trace",
            "--Logging:LogLevel:Microsoft.AspNetCore=Trace",
            "--Logging:LogLevel:Microsoft.EntityFrameworkCore=Trace",
            "--Logging:LogLevel:Grpc=Trace",
            "--Dvc:Identity:Bootstrap:Username=admin"))
        {
            await RegistryCitizens.AddAsync(server.Services, IdNumber, "Nguyễn Văn An", BirthDate.Full(1990, 5, 17), Phone);
            var identity = new IdentityService.IdentityServiceClient(server.Channel);
            var development = new DevelopmentService.DevelopmentServiceClient(server.Channel);

            // A citizen: registration with the SMS code, sign-in, refresh, a call with the token.
            var started = await identity.StartCitizenRegistrationAsync(new StartCitizenRegistrationRequest
            {
                IdNumber = IdNumber, FullName = "Nguyễn Văn An", BirthDate = "1990-05-17", Phone = Phone,
            });
            var sms = (await development.ListSmsMessagesAsync(new ListSmsMessagesRequest { Phone = Phone })).Messages[0].Text;
            var otp = SixDigits().Match(sms).Value;
            secrets.Add(("OTP code", otp));
            secrets.Add(("citizen password", CitizenPassword));
            var wrongOtp = await Assert.ThrowsAsync<RpcException>(() => identity.CompleteCitizenRegistrationAsync(new CompleteCitizenRegistrationRequest
            {
                RegistrationId = started.RegistrationId, Otp = otp == "000000" ? "111111" : "000000", Password = CitizenPassword,
            }).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, wrongOtp.StatusCode);
            var registered = await identity.CompleteCitizenRegistrationAsync(new CompleteCitizenRegistrationRequest
            {
                RegistrationId = started.RegistrationId, Otp = otp, Password = CitizenPassword,
            });
            AddTokens(secrets, "registration", registered);
            var signedIn = await identity.SignInCitizenAsync(new SignInCitizenRequest { IdNumber = IdNumber, Password = CitizenPassword });
            AddTokens(secrets, "citizen sign-in", signedIn);
            var refreshed = await identity.RefreshTokensAsync(new RefreshTokensRequest { RefreshToken = signedIn.RefreshToken });
            AddTokens(secrets, "citizen refresh", refreshed);
            await identity.WhoAmIAsync(new WhoAmIRequest(), Bearer(refreshed.AccessToken));
            // A reused refresh token ends its session: the refusal path must not log the token either.
            await Assert.ThrowsAsync<RpcException>(() => identity.RefreshTokensAsync(new RefreshTokensRequest { RefreshToken = signedIn.RefreshToken }).ResponseAsync);

            // The bootstrap administrator, with the generated credentials from the owner-only file.
            var file = Path.Combine(server.Services.GetRequiredService<DataDirectory>().Path, "identity", IdentityBootstrap.CredentialsFileName);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }

            var credentials = await File.ReadAllTextAsync(file);
            var adminPassword = Regex.Match(credentials, "^password: (\\S+)$", RegexOptions.Multiline).Groups[1].Value;
            var totpUri = Regex.Match(credentials, "^totp: (\\S+)$", RegexOptions.Multiline).Groups[1].Value;
            var seed = Regex.Match(totpUri, "secret=([A-Z2-7]+)").Groups[1].Value;
            Assert.NotEmpty(adminPassword);
            Assert.NotEmpty(seed);
            secrets.Add(("administrator password", adminPassword));
            secrets.Add(("TOTP enrolment URI", totpUri));
            secrets.Add(("TOTP seed", seed));
            var totpCode = new Totp(Base32Encoding.ToBytes(seed)).ComputeTotp(DateTime.UtcNow);
            var admin = await identity.SignInOfficialAsync(new SignInOfficialRequest { Username = "admin", Password = adminPassword, TotpCode = totpCode });
            AddTokens(secrets, "official sign-in", admin);
            var adminRefreshed = await identity.RefreshTokensAsync(new RefreshTokensRequest { RefreshToken = admin.RefreshToken });
            AddTokens(secrets, "official refresh", adminRefreshed);
            await identity.WhoAmIAsync(new WhoAmIRequest(), Bearer(adminRefreshed.AccessToken));
            secrets.Add(("TOTP code", totpCode));
        }

        var lines = captured.Lines.ToArray();
        var found = new List<string>();
        foreach (var (what, value) in secrets)
        {
            // Six-digit codes as whole numbers (ids and durations hold other digits); everything else as a substring.
            var pattern = value.Length == 6 && value.All(char.IsAsciiDigit) ? $@"(?<!\d){value}(?!\d)" : Regex.Escape(value);
            found.AddRange(lines.Where(line => Regex.IsMatch(line, pattern)).Select(line => $"{what} in: {line}"));
        }

        output.WriteLine($"log lines checked: {lines.Length}; secrets searched: {secrets.Count}; secrets found: {found.Count}");
        Assert.True(lines.Length > 100, $"only {lines.Length} log lines were captured: is Trace on?");
        Assert.Empty(found);
    }

    private static void AddTokens(List<(string, string)> secrets, string step, TokenResponse tokens)
    {
        secrets.Add(($"{step} access token", tokens.AccessToken));
        // The signature alone identifies a token as well as the whole of it.
        secrets.Add(($"{step} access token signature", tokens.AccessToken.Split('.')[2]));
        secrets.Add(($"{step} refresh token", tokens.RefreshToken));
    }

    private static Metadata Bearer(string token) => new() { { "authorization", $"Bearer {token}" } };

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();

    /// <summary>Keeps every log line as text: category, level, message, each structured property, the scopes and any exception.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull
                => provider._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var line = new System.Text.StringBuilder()
                    .Append(CultureInfo.InvariantCulture, $"{category} [{logLevel}] {formatter(state, exception)}");
                if (state is IEnumerable<KeyValuePair<string, object?>> properties)
                {
                    foreach (var (key, value) in properties)
                    {
                        line.Append(CultureInfo.InvariantCulture, $" | {key}={value}");
                    }
                }

                provider._scopes.ForEachScope((scope, text) => text.Append(CultureInfo.InvariantCulture, $" | scope={scope}"), line);
                if (exception is not null)
                {
                    line.Append(" | ").Append(exception);
                }

                provider.Lines.Enqueue(line.ToString());
            }
        }
    }
}
