using System.Globalization;
using GrpcDvc.Contracts.Population.V1;

namespace GrpcDvc.LookupLoad;

/// <summary>A search request from one sample line: the name, and after a tab the birth year (optional).</summary>
internal static class SearchCalls
{
    public static SearchCitizensRequest Request(string line)
    {
        var parts = line.Split('\t');
        return new SearchCitizensRequest
        {
            Name = parts[0],
            BirthYear = parts.Length > 1 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var year) ? year : 0,
            Access = new AccessContext { Purpose = AccessPurpose.IdentityVerification, Reference = "BENCH" },
        };
    }
}
