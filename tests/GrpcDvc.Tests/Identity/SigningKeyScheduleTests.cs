using GrpcDvc.Server.Identity.Tokens;

namespace GrpcDvc.Tests.Identity;

/// <summary>Which key signs, which keys validate, and when rotation is due, at given instants.</summary>
public sealed class SigningKeyScheduleTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Fact]
    public void Signer_TwoActiveKeys_IsTheOneThatActivatedLast()
    {
        // Two instances making the first key of an empty ring at once leave two active keys.
        SigningKeyRecord[] keys = [Key("b-older", T0), Key("a-newer", T0 + TimeSpan.FromHours(1))];

        Assert.Equal("a-newer", SigningKeySchedule.Signer(keys, T0 + Day)?.KeyId);
    }

    [Fact]
    public void Signer_TwoKeysActivatedTogether_IsTheGreaterKeyId_SoEveryInstancePicksTheSame()
    {
        SigningKeyRecord[] keys = [Key("20260301000000-aa", T0), Key("20260301000000-bb", T0), Key("20260301000000-ab", T0)];

        Assert.Equal("20260301000000-bb", SigningKeySchedule.Signer(keys, T0 + Day)?.KeyId);
        Assert.Equal("20260301000000-bb", SigningKeySchedule.Signer(keys.Reverse(), T0 + Day)?.KeyId);
    }

    [Fact]
    public void Signer_KeyRetiringThisInstant_SignsNoMore_AndOneNotYetActive_NotYet()
    {
        Assert.Null(SigningKeySchedule.Signer([Key("old", T0, retiresAt: T0 + Day)], T0 + Day));
        Assert.Equal("old", SigningKeySchedule.Signer([Key("old", T0, retiresAt: T0 + Day)], T0 + Day - TimeSpan.FromTicks(1))?.KeyId);
        Assert.Null(SigningKeySchedule.Signer([Key("next", T0 + Day)], T0 + Day - TimeSpan.FromTicks(1)));
    }

    [Fact]
    public void Validates_RetiredKey_UntilItsLastTokenCanHaveExpired()
    {
        var retention = TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(30);
        var retired = Key("old", T0, retiresAt: T0 + Day);

        Assert.True(SigningKeySchedule.Validates(retired, T0 + Day + retention - TimeSpan.FromTicks(1), retention));
        Assert.False(SigningKeySchedule.Validates(retired, T0 + Day + retention, retention));
        Assert.True(SigningKeySchedule.Validates(Key("published", T0 + Day), T0, retention)); // not yet signing, already accepted
    }

    [Fact]
    public void RotationDue_WhenTheNewestUnretiredKeyHasSignedForItsLifetime_NotBefore()
    {
        Assert.False(SigningKeySchedule.RotationDue([Key("k", T0)], T0 + Day - TimeSpan.FromTicks(1), Day));
        Assert.True(SigningKeySchedule.RotationDue([Key("k", T0)], T0 + Day, Day));
        Assert.False(SigningKeySchedule.RotationDue([], T0, Day));
        Assert.False(SigningKeySchedule.RotationDue([Key("k", T0, retiresAt: T0 + Day)], T0 + Day + Day, Day));
    }

    [Fact]
    public void RotationDue_TwoUnretiredKeys_CountsFromTheNewer()
    {
        SigningKeyRecord[] keys = [Key("older", T0), Key("newer", T0 + TimeSpan.FromHours(12))];

        Assert.False(SigningKeySchedule.RotationDue(keys, T0 + Day, Day));
        Assert.True(SigningKeySchedule.RotationDue(keys, T0 + Day + TimeSpan.FromHours(12), Day));
    }

    private static SigningKeyRecord Key(string kid, DateTime activatesAt, DateTime? retiresAt = null) => new()
    {
        KeyId = kid,
        Algorithm = "ES256",
        PublicKey = "",
        PrivateKeySealed = "",
        CreatedAt = activatesAt,
        ActivatesAt = activatesAt,
        RetiresAt = retiresAt,
    };
}
