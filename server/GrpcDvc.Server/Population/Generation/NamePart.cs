using GrpcDvc.Server.Text;

namespace GrpcDvc.Server.Population.Generation;

/// <summary>A piece of a name with its folded form computed once, so building 10 million folded names costs a concatenation each.</summary>
internal sealed record NamePart(string Text, string Folded)
{
    public static NamePart Of(string text) => new(text, VietnameseText.Fold(text));

    public static WeightedTable<NamePart> Table(params (string Text, double Weight)[] entries)
        => new(entries.Select(e => (Of(e.Text), e.Weight)));
}
