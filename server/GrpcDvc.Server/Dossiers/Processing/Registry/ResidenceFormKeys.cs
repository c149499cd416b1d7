namespace GrpcDvc.Server.Dossiers.Processing.Registry;

/// <summary>
/// The form fields (dossier form keys) the registry effects read, in one place so the forms-as-data
/// definitions (Catalog/Data/forms.json) can be aligned with them. Documented in docs/domain.md.
/// </summary>
public static class ResidenceFormKeys
{
    /// <summary>The commune (administrative unit code) of the address the procedure is about: the residence registered, the stay, the place gone to.</summary>
    public const string AddressCommuneCode = "address_commune_code";

    /// <summary>House number, street, hamlet of that address.</summary>
    public const string AddressDetail = "address_detail";

    /// <summary>First day of the period (yyyy-MM-dd, Vietnam): of the residence, the stay, the absence; of a deletion, the day it takes effect. Default: the day the result is issued.</summary>
    public const string FromDate = "from_date";

    /// <summary>Last day of the period (yyyy-MM-dd): temporary residence (required to extend), stay, absence (required).</summary>
    public const string ToDate = "to_date";

    /// <summary>Permanent registration into an existing household: its head's personal ID number. Empty: a new household headed by the applicant.</summary>
    public const string HouseholdHeadIdNumber = "household_head_id_number";

    /// <summary>Permanent registration into an existing household: the applicant's relation to its head ("con", "vợ"…).</summary>
    public const string RelationToHead = "relation_to_head";

    /// <summary>Household split: the personal ID number of the new household's head. Default: the applicant.</summary>
    public const string NewHeadIdNumber = "new_head_id_number";

    /// <summary>Adjustment of residence data (BCA-L4-07): which of the cases of the Residence Law art. 26 cl. 1 (see <see cref="ResidenceDataAdjusted"/>).</summary>
    public const string Adjustment = "adjustment";

    /// <summary>Temporary absence: why (optional).</summary>
    public const string AbsenceReason = "absence_reason";

    // The same things under the keys of the catalog's forms (Catalog/Data/forms.json): CT01's own item,
    // the stay notification's content (Residence Law art. 30 cl. 2) and the absence declaration's
    // (Circular 116/2026 art. 15 cl. 2). An effect reads its form's key first and the generic one after.

    /// <summary>CT01 item "Quan hệ với chủ hộ".</summary>
    public const string RelationshipToHouseholdHead = "relationship_to_household_head";

    public const string StayFrom = "stay_from";

    public const string StayTo = "stay_to";

    public const string StayAddress = "stay_address";

    public const string AbsenceFrom = "absence_from";

    public const string AbsenceTo = "absence_to";

    public const string Destination = "destination";

    /// <summary>The absence form's "reason" (lý do).</summary>
    public const string AbsenceFormReason = "reason";
}
