namespace GrpcDvc.Server.Population;

// The numbers are what the database stores: never renumber a member, only add new ones.

public enum CitizenStatus
{
    Living = 1,
    Deceased = 2,
}

/// <summary>Relation to the head of household (quan hệ với chủ hộ).</summary>
public enum RelationToHead
{
    /// <summary>Chủ hộ.</summary>
    Head = 1,

    /// <summary>Vợ.</summary>
    Wife = 2,

    /// <summary>Chồng.</summary>
    Husband = 3,

    /// <summary>Con.</summary>
    Child = 4,

    /// <summary>Cha.</summary>
    Father = 5,

    /// <summary>Mẹ.</summary>
    Mother = 6,

    /// <summary>Cháu.</summary>
    Grandchild = 7,

    /// <summary>Con dâu.</summary>
    DaughterInLaw = 8,

    /// <summary>Con rể.</summary>
    SonInLaw = 9,

    /// <summary>Anh, chị, em.</summary>
    Sibling = 10,

    /// <summary>Quan hệ khác.</summary>
    Other = 99,
}

public enum IdentityDocumentKind
{
    /// <summary>Chứng minh nhân dân, 9 digits.</summary>
    Cmnd9 = 1,

    /// <summary>Chứng minh nhân dân, 12 digits (the last CMND cards).</summary>
    Cmnd12 = 2,

    /// <summary>Căn cước công dân with a barcode (from 2016).</summary>
    CccdBarcode = 3,

    /// <summary>Căn cước công dân with a chip (from 2021).</summary>
    CccdChip = 4,

    /// <summary>Thẻ căn cước (Identity Law 2023, from 1/7/2024).</summary>
    CanCuoc = 5,
}

public enum DocumentStatus
{
    Valid = 1,

    /// <summary>Past its expiry date, or a CMND after 31/12/2024.</summary>
    Expired = 2,

    /// <summary>Exchanged for a newer card (cấp đổi).</summary>
    Replaced = 3,

    /// <summary>Reported lost (báo mất); a re-issued card follows.</summary>
    Lost = 4,

    /// <summary>Withdrawn (thu hồi), e.g. on the holder's death.</summary>
    Revoked = 5,
}

public enum ResidenceKind
{
    /// <summary>Thường trú.</summary>
    Permanent = 1,

    /// <summary>Tạm trú.</summary>
    Temporary = 2,
}

public enum AdministrativeLevel
{
    Province = 1,
    District = 2,
    Commune = 3,
}
