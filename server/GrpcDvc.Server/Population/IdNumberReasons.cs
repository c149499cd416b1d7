namespace GrpcDvc.Server.Population;

/// <summary>Stable reason codes for broken ID number rules; portals localise messages by them.</summary>
public static class IdNumberReasons
{
    /// <summary>A personal ID number has exactly 12 characters.</summary>
    public const string Length = "ID_NUMBER_LENGTH";

    /// <summary>Every character is an ASCII digit.</summary>
    public const string Digits = "ID_NUMBER_DIGITS";

    /// <summary>The first three digits are a province code of Circular 07/2016.</summary>
    public const string Province = "ID_NUMBER_PROVINCE";

    /// <summary>The fourth digit encodes the birth century and the gender.</summary>
    public const string CenturyGender = "ID_NUMBER_CENTURY_GENDER";

    /// <summary>Digits 5–6 are the last two digits of the birth year.</summary>
    public const string BirthYear = "ID_NUMBER_BIRTH_YEAR";

    /// <summary>An old CMND number has 9 or 12 characters.</summary>
    public const string OldLength = "OLD_ID_NUMBER_LENGTH";

    /// <summary>An old CMND number is all ASCII digits.</summary>
    public const string OldDigits = "OLD_ID_NUMBER_DIGITS";
}

/// <summary>One broken rule of an ID number: its stable reason code and what is wrong.</summary>
public sealed record IdNumberProblem(string Reason, string Description);
