using System.Net;
using System.Security.Cryptography;
using System.Text;
using Google.Rpc;
using Grpc.Core;
using GrpcDvc.Client;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Catalog.V1;
using GrpcDvc.Contracts.Population.V1;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Tokens;
using GrpcDvc.Tests.Probe;
using GrpcDvc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using Xunit.Abstractions;

namespace GrpcDvc.Tests.Access;

/// <summary>
/// No bearer token, however it is made, ends a call with UNKNOWN: every token a hostile client
/// can think of (random bytes, three parts of garbage, a real header with a garbage payload, the
/// JOSE header variants, a real token mutated or cut, huge ones) gets UNAUTHENTICATED
/// ACCESS_TOKEN_INVALID, on public rpcs as on non-public ones. Tokens past the request-header
/// limit never reach the gate: Kestrel refuses the request, and the answer is still a clean status.
/// </summary>
public sealed class MalformedTokenFuzzTests(AccessServerFixture fixture, ITestOutputHelper output) : IClassFixture<AccessServerFixture>
{
    // Seeded: a failure names a token that the next run sends again.
    private readonly Random _random = new(20261129);

    private InProcessServer Server => fixture.Server;

    [Fact]
    public async Task MalformedBearerTokens_OnPublicAndNonPublicRpcs_AreUnauthenticatedAccessTokenInvalid_NeverUnknown()
    {
        var real = await TestCallers.OfficialAsync(Server, "P34-04", Role.Auditor);
        // A mutation of a last base64url character's unused bits decodes to the real token's bytes: that one is the real token.
        var tokens = Tokens(real).Distinct(StringComparer.Ordinal).Where(t => !SameBytes(t, real)).ToList();
        var failures = new List<string>();
        var calls = 0;

        foreach (var chunk in tokens.Chunk(16))
        {
            var answers = await Task.WhenAll(chunk.Select(async token => (token, statuses: await CallAllAsync(token))));
            foreach (var (token, statuses) in answers)
            {
                foreach (var (rpc, status, reason) in statuses)
                {
                    calls++;
                    if (status != StatusCode.Unauthenticated || reason != IdentityReasons.AccessTokenInvalid)
                    {
                        failures.Add($"{rpc}: {status} {reason} for token ({token.Length} chars) {Shorten(token)}");
                    }
                }
            }
        }

        // The codec itself, beneath JwtBearer (which would turn a throwing handler into a failure): a verdict, never an exception.
        var codec = Server.Services.GetRequiredService<AccessTokenCodec>();
        foreach (var token in tokens)
        {
            try
            {
                var verdict = await codec.ValidateAsync(token, CancellationToken.None);
                if (verdict.Failure?.Reason != IdentityReasons.AccessTokenInvalid)
                {
                    failures.Add($"AccessTokenCodec: {verdict.Failure?.Reason ?? "valid"} for token ({token.Length} chars) {Shorten(token)}");
                }
            }
            catch (Exception e)
            {
                failures.Add($"AccessTokenCodec threw {e.GetType().Name} for token ({token.Length} chars) {Shorten(token)}");
            }
        }

        output.WriteLine($"tokens tried: {tokens.Count}; calls: {calls}; not UNAUTHENTICATED ACCESS_TOKEN_INVALID: {failures.Count}");
        failures.ForEach(output.WriteLine);
        Assert.True(tokens.Count > 500, $"only {tokens.Count} tokens");
        Assert.Empty(failures);
    }

    [Theory]
    [InlineData(40_000)]
    [InlineData(200_000)]
    public async Task TokenPastTheHeaderLimit_IsRefusedByKestrel_WithACleanStatus_NotUnknown(int length)
    {
        var token = Base64UrlEncoder.Encode(RandomBytes(length * 3 / 4));
        var statuses = await CallAllAsync(token);

        foreach (var (rpc, status, _) in statuses)
        {
            output.WriteLine($"{length}-char token, {rpc}: {status}");
            Assert.True(status is StatusCode.ResourceExhausted or StatusCode.Internal or StatusCode.Unauthenticated, $"{rpc}: {status}");
        }

        // The connection survives the refusal: the next call on the channel is served.
        Assert.NotNull(await new CatalogService.CatalogServiceClient(Server.Channel).ListProceduresAsync(new ListProceduresRequest()));
    }

    [Theory]
    [InlineData("eyJhbGciOiJFUzI1NiIsImtpZCI6Imtow7NhIn0.eyJzdWIiOiJ4In0.c2ln")]
    [InlineData("khóa.bí-mật.chữ-ký")]
    [InlineData("\u00e9\u00e9\u00e9.\u00ff\u00fe.\u0080")]
    public async Task NonAsciiTokenOnTheWire_IsAnsweredWithAStatus_NeverUnknown(string token)
    {
        // Grpc.Net.Client will not put non-ASCII into a header: a raw HTTP/2 request sends the bytes as UTF-8.
        using var handler = new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 };
        using var http = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Server.GrpcAddress, "/dvc.catalog.v1.CatalogService/ListProcedures"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(RawFrames.Frame(new ListProceduresRequest())),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        request.Headers.TryAddWithoutValidation("authorization", $"Bearer {token}");

        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        var grpcStatus = response.TrailingHeaders.TryGetValues("grpc-status", out var trailer) ? trailer.Single()
            : response.Headers.TryGetValues("grpc-status", out var header) ? header.Single() : null;
        output.WriteLine($"HTTP {(int)response.StatusCode}, grpc-status {grpcStatus ?? "none"}");

        if (grpcStatus is null)
        {
            // Refused by Kestrel before gRPC: 400, which gRPC clients read as INTERNAL, never UNKNOWN.
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        else
        {
            Assert.Equal(((int)StatusCode.Unauthenticated).ToString(System.Globalization.CultureInfo.InvariantCulture), grpcStatus);
        }
    }

    private async Task<(string Rpc, StatusCode Status, string? Reason)[]> CallAllAsync(string token)
    {
        var bearer = TestCallers.Bearer(token);
        var probe = new AccessProbeService.AccessProbeServiceClient(Server.Channel);
        var catalog = new CatalogService.CatalogServiceClient(Server.Channel);
        return
        [
            await StatusOfAsync("CatalogService.ListProcedures (public)", () => catalog.ListProceduresAsync(new ListProceduresRequest(), bearer).ResponseAsync),
            await StatusOfAsync("AccessProbe.WhoIsCalling (public)", () => probe.WhoIsCallingAsync(new WhoIsCallingRequest(), bearer).ResponseAsync),
            await StatusOfAsync("AccessProbe.ReadRecord (agency scoped)", () => probe.ReadRecordAsync(new ReadRecordRequest
            {
                IdNumber = "079088001234",
                UnitCodes = { AccessServerFixture.CaoBangCommune },
                Access = new AccessContext { Purpose = AccessPurpose.DossierProcessing, Reference = "HS-2025-1" },
            }, bearer).ResponseAsync),
        ];
    }

    private static async Task<(string Rpc, StatusCode Status, string? Reason)> StatusOfAsync(string rpc, Func<Task> call)
    {
        try
        {
            await call();
            return (rpc, StatusCode.OK, null);
        }
        catch (RpcException e)
        {
            return (rpc, e.StatusCode, e.GetDetail<ErrorInfo>()?.Reason);
        }
    }

    private IEnumerable<string> Tokens(string real)
    {
        var parts = real.Split('.');
        var realHeader = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[0]));
        var realPayload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1]));
        var kid = System.Text.Json.JsonDocument.Parse(realHeader).RootElement.GetProperty("kid").GetString()!;
        var signature = parts[2];

        // The issue's own examples, and shapes around them.
        yield return "abc.def.ghi";
        yield return "a.b.c";
        yield return "..";
        yield return "...";
        yield return ".x.";
        yield return "x..";
        yield return "..x";
        yield return "x";
        yield return "x.y";
        yield return "a.b.c.d";
        yield return "a.b.c.d.e";
        yield return "a.b.c.d.e.f";
        yield return "====.====.====";
        yield return "+/+/.+/+/.+/+/";
        yield return "%%%.%%%.%%%";
        yield return "eyJ.eyJ.eyJ";
        yield return "e30.e30.e30"; // {} . {} . {}
        yield return "e30.e30.";
        yield return "bnVsbA.bnVsbA.bnVsbA"; // null
        yield return $"{parts[0]}.garbage.{signature}";
        yield return $"{parts[0]}.{parts[0]}.{signature}";
        yield return $"{parts[0]}.{B64("not json")}.{signature}";
        yield return $"{parts[0]}.{B64("[]")}.{signature}";
        yield return $"{parts[0]}.{B64("\"string\"")}.{signature}";
        yield return $"{parts[0]}.{B64("12")}.{signature}";
        yield return $"{parts[0]}.{B64("{")}.{signature}";
        yield return $"{parts[0]}.{B64(new string('[', 5000) + new string(']', 5000))}.{signature}";
        yield return $"{parts[0]}.{B64("{\"a\":" + string.Concat(Enumerable.Repeat("{\"a\":", 2000)) + "1" + new string('}', 2001))}.{signature}";
        yield return $"{parts[0]}.{parts[1]}";
        yield return $"{parts[0]}.{parts[1]}.";
        yield return $"{parts[0]}.{parts[1]}.{signature}.";
        yield return $"{parts[0]}.{parts[1]}.{signature}.x.y";
        yield return $"{parts[0]}..{signature}";
        yield return $".{parts[1]}.{signature}";
        yield return $"{parts[1]}.{parts[0]}.{signature}";
        yield return $"{parts[0]}.{parts[1]}.{B64("garbage")}";
        yield return $"{parts[0]}.{parts[1]}.!!!";
        yield return $"{parts[0]}=.{parts[1]}.{signature}";

        // Header variants: every JOSE field a forger plays with, on the real payload and signature and on a forged signature.
        foreach (var header in HeaderVariants(kid, realHeader))
        {
            yield return $"{B64(header)}.{parts[1]}.{signature}";
            yield return $"{B64(header)}.{parts[1]}.";
            yield return $"{B64(header)}.{parts[1]}.{Base64UrlEncoder.Encode(RandomBytes(64))}";
            yield return $"{B64(header)}.{parts[1]}.{Hs256(header, parts[1], Encoding.UTF8.GetBytes(kid))}";
            yield return $"{B64(header)}.garbage.{signature}";
        }

        // Payload variants under the real header: claims of the wrong type, missing, absurd.
        foreach (var payload in PayloadVariants(realPayload))
        {
            yield return $"{parts[0]}.{B64(payload)}.{signature}";
        }

        // The real token cut at every tenth length, and with one character changed at random places.
        for (var length = 1; length < real.Length; length += 10)
        {
            yield return real[..length];
        }

        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/";
        for (var i = 0; i < 150; i++)
        {
            var chars = real.ToCharArray();
            var at = _random.Next(chars.Length);
            var replacement = alphabet[_random.Next(alphabet.Length)];
            if (chars[at] == replacement)
            {
                continue;
            }

            chars[at] = replacement;
            yield return new string(chars);
        }

        // Random bytes: base64url in three parts, in one part, and as printable ASCII (header-safe).
        for (var i = 0; i < 100; i++)
        {
            yield return $"{Base64UrlEncoder.Encode(RandomBytes(_random.Next(1, 200)))}.{Base64UrlEncoder.Encode(RandomBytes(_random.Next(1, 400)))}.{Base64UrlEncoder.Encode(RandomBytes(_random.Next(0, 100)))}";
            yield return Base64UrlEncoder.Encode(RandomBytes(_random.Next(1, 600)));
            yield return PrintableAscii(_random.Next(1, 300), dots: 2);
        }

        // Huge, but within the 32 KiB header limit.
        yield return $"{parts[0]}.{B64("{\"sub\":\"" + new string('x', 20_000) + "\"}")}.{signature}";
        yield return $"{B64("{\"alg\":\"ES256\",\"kid\":\"" + new string('k', 20_000) + "\"}")}.{parts[1]}.{signature}";
        yield return $"{parts[0]}.{parts[1]}.{Base64UrlEncoder.Encode(RandomBytes(20_000))}";
        yield return Base64UrlEncoder.Encode(RandomBytes(22_000));
        yield return string.Join('.', Enumerable.Repeat("a", 10_000));
    }

    private static IEnumerable<string> HeaderVariants(string kid, string realHeader)
    {
        foreach (var alg in new[] { "none", "None", "NONE", "nOnE", "HS256", "HS384", "HS512", "RS256", "RS512", "PS256", "ES256K", "ES384", "ES512", "EdDSA", "dir", "A128KW", "RSA-OAEP", "", "ES256 ", "es256" })
        {
            yield return $$"""{"alg":"{{alg}}","typ":"at+jwt","kid":"{{kid}}"}""";
            yield return $$"""{"alg":"{{alg}}","typ":"at+jwt"}""";
        }

        yield return realHeader;
        yield return """{"alg":"ES256","typ":"at+jwt"}""";                                    // missing kid
        yield return """{"alg":"ES256","typ":"at+jwt","kid":"no-such-key"}""";                // unknown kid
        yield return """{"alg":"ES256","typ":"at+jwt","kid":""}""";
        yield return """{"alg":"ES256","typ":"at+jwt","kid":null}""";
        yield return """{"alg":"ES256","typ":"at+jwt","kid":42}""";
        yield return """{"alg":"ES256","typ":"at+jwt","kid":["a","b"]}""";
        yield return """{"alg":"ES256","typ":"at+jwt","kid":{"a":1}}""";
        yield return """{"alg":"ES256","typ":"at+jwt","kid":"../../../etc/passwd"}""";
        yield return """{"alg":"ES256","typ":"at+jwt","kid":"' OR '1'='1"}""";
        yield return """{"alg":"ES256","typ":"at+jwt","kid":"khóa-bí-mật"}""";               // non-ASCII, base64url on the wire
        yield return """{"alg":"ES256","typ":"at+jwt","kid":"\u0000"}""";
        yield return $$"""{"alg":"ES256","typ":"JWT","kid":"{{kid}}"}""";                     // typ wrong
        yield return $$"""{"alg":"ES256","typ":"","kid":"{{kid}}"}""";
        yield return $$"""{"alg":"ES256","typ":7,"kid":"{{kid}}"}""";
        yield return $$"""{"alg":"ES256","kid":"{{kid}}"}""";                                  // typ missing
        yield return $$"""{"typ":"at+jwt","kid":"{{kid}}"}""";                                 // alg missing
        yield return $$"""{"alg":null,"typ":"at+jwt","kid":"{{kid}}"}""";
        yield return $$"""{"alg":["ES256"],"typ":"at+jwt","kid":"{{kid}}"}""";
        yield return $$"""{"alg":"ES256","typ":"at+jwt","kid":"{{kid}}","crit":["exp"]}""";
        yield return $$"""{"alg":"ES256","typ":"at+jwt","kid":"{{kid}}","crit":["x-unknown"],"x-unknown":1}""";
        yield return $$"""{"alg":"ES256","typ":"at+jwt","kid":"{{kid}}","crit":"b64","b64":false}""";
        yield return $$"""{"alg":"ES256","typ":"at+jwt","kid":"{{kid}}","crit":[]}""";
        yield return $$"""{"alg":"ES256","typ":"at+jwt","kid":"{{kid}}","jku":"http://127.0.0.1:1/keys"}""";
        yield return $$"""{"alg":"ES256","typ":"at+jwt","kid":"{{kid}}","x5u":"http://127.0.0.1:1/cert"}""";
        yield return $$"""{"alg":"ES256","typ":"at+jwt","kid":"{{kid}}","x5c":["AAAA"]}""";
        yield return """{"alg":"ES256","typ":"at+jwt","jwk":{"kty":"EC","crv":"P-256","x":"AAAA","y":"AAAA"}}""";
        yield return $$"""{"alg":"ES256","typ":"at+jwt","kid":"{{kid}}","zip":"DEF"}""";
        yield return $$"""{"alg":"ES256","typ":"at+jwt","kid":"{{kid}}","enc":"A256GCM"}""";
        yield return $$"""{"alg":"ES256","typ":"at+jwt","kid":"{{kid}}","cty":"JWT"}""";
        yield return $$"""{"alg":"ES256","alg":"none","typ":"at+jwt","kid":"{{kid}}"}""";     // duplicate member
        yield return $$"""{"alg":"ES256","typ":"at+jwt","kid":"{{kid}}","kid":"other"}""";
        yield return $$"""{"alg":"ES256","typ":"at+jwt","kid":"{{kid}}"} trailing""";
        yield return $$"""{"alg":"ES256","typ":"at+jwt","kid":"{{kid}}",}""";
        yield return "{}";
        yield return "[]";
        yield return "null";
        yield return "\"ES256\"";
        yield return "1e999";
        yield return "";
        yield return "\uFEFF{\"alg\":\"ES256\"}";
        yield return "{\"alg\":\"\uD800\"}"; // a lone surrogate, as UTF-8 replacement bytes
    }

    private static IEnumerable<string> PayloadVariants(string realPayload)
    {
        yield return "{}";
        yield return realPayload.Replace("\"sub\":", "\"sub_\":", StringComparison.Ordinal);
        yield return """{"sub":42,"kind":"official","roles":"administrator","sid":7}""";
        yield return """{"sub":"x","kind":"official","roles":["administrator"],"sid":"y","exp":"tomorrow"}""";
        yield return """{"sub":"x","exp":1e400,"nbf":-1e400,"iat":null}""";
        yield return """{"exp":99999999999999999999999999999}""";
        yield return """{"roles":[1,2,3],"loa":"two"}""";
        yield return """{"aud":{"a":1},"iss":[]}""";
        yield return realPayload.Replace("\"official\"", "\"god\"", StringComparison.Ordinal);
        yield return realPayload.Replace("auditor", "administrator", StringComparison.Ordinal); // privilege bump with the old signature
    }

    private static bool SameBytes(string token, string real)
    {
        var a = token.Split('.');
        var b = real.Split('.');
        if (a.Length != b.Length)
        {
            return false;
        }

        try
        {
            return a.Zip(b).All(p => Base64UrlEncoder.DecodeBytes(p.First).AsSpan().SequenceEqual(Base64UrlEncoder.DecodeBytes(p.Second)));
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string B64(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));

    // The classic key-confusion forgery: HS256 keyed with something public.
    private static string Hs256(string header, string payload, byte[] key)
        => Base64UrlEncoder.Encode(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes($"{B64(header)}.{payload}")));

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    private string PrintableAscii(int length, int dots)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = (char)_random.Next(0x21, 0x7F);
        }

        for (var d = 0; d < dots && length > 2; d++)
        {
            chars[_random.Next(1, length - 1)] = '.';
        }

        return new string(chars);
    }

    private static string Shorten(string token) => token.Length <= 120 ? token : $"{token[..120]}…";
}
