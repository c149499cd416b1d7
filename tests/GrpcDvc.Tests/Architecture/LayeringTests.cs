using System.Text.RegularExpressions;
using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Architecture;

/// <summary>
/// Each capability of the server depends only on what lies beneath it, so a newcomer can read the server
/// bottom-up and a change to a lower room never needs a change upstairs. Read from the sources: the
/// namespaces a file opens (using) or names in full.
/// </summary>
public sealed partial class LayeringTests
{
    /// <summary>Bottom first. A namespace may use its own layer's namespace and those of lower layers.</summary>
    private static readonly string[][] Layers =
    [
        ["Errors", "Text"],
        // Listings tell a bad page as a field violation, with the same words everywhere.
        ["Listing", "Storage"],
        // The scheduler and its run log: on storage alone, so every capability above can add its jobs to it.
        ["Jobs"],
        ["Access"],
        ["Population", "Calendar"],
        // Above the registry and the calendar: forms check ID numbers by the registry's rules, and
        // the terms in force are read on Vietnam's calendar day.
        ["Catalog"],
        ["Identity"],
        // Messages to citizens: the outbox rows other capabilities write, sent through the identity's SMS gateway.
        ["Notifications"],
        ["Audit"],
        ["Dossiers"],
        // Above dossiers: a collection hands the dossier on through IDossierChanges' processing, and the
        // submission confirms a hold through the interface Dossiers declares (ISubmissionAppointments).
        ["Appointments"],
        ["Hosting", "Storage.Migrations"],
    ];

    [Fact]
    public void EveryServerNamespace_UsesOnlyItsOwnAndLowerLayers()
    {
        var upward = ServerFiles()
            .SelectMany(file => References(file).Select(target => (file.Path, file.Namespace, Target: target)))
            .Where(r => Room(r.Target) != Room(r.Namespace) && LayerOf(r.Target) >= LayerOf(r.Namespace))
            .Select(r => $"{r.Path}: {r.Namespace} -> {r.Target}")
            .Distinct()
            .ToList();

        Assert.True(upward.Count == 0, $"Dependencies against the layering ({upward.Count}):\n{string.Join('\n', upward)}");
    }

    [Fact]
    public void EveryServerNamespace_HasALayer()
    {
        var unplaced = ServerFiles().Select(f => f.Namespace).Distinct().Where(ns => LayerOf(ns) < 0).ToList();
        Assert.True(unplaced.Count == 0, $"Namespaces outside the layering: {string.Join(", ", unplaced)}");
    }

    [Fact]
    public void References_RelativeToTheServer_AreFound()
        => Assert.Equal(["Hosting"], References(new ServerFile("x.cs", "Storage", "public static T From(Hosting.DvcOptions options) => options.Identity.Bootstrap;")));

    [Fact]
    public void References_OfASourceFile_AreFoundByUsingAndByFullName()
        => Assert.Equal(["Identity", "Population.Registry"], References(new ServerFile("x.cs", "Access",
            "using GrpcDvc.Server.Identity;\nvar y = new GrpcDvc.Server.Population.Registry.CitizenFields();\nusing GrpcDvc.Server.Access;")));

    /// <summary>The room (top-level namespace under GrpcDvc.Server, or Storage.Migrations) a namespace lives in.</summary>
    private static string Room(string ns) => ns.StartsWith("Storage.Migrations", StringComparison.Ordinal) ? "Storage.Migrations" : ns.Split('.')[0];

    private static int LayerOf(string ns) => Array.FindIndex(Layers, layer => layer.Contains(Room(ns)));

    /// <summary>
    /// The server namespaces a file refers to, in full (GrpcDvc.Server.X.Y) or relative to GrpcDvc.Server (X.Y.Type,
    /// as code inside the server may write it): for each mention, the longest prefix that is a folder of the server.
    /// </summary>
    private static List<string> References(ServerFile file)
        => [.. ServerNamespace().Matches(file.Text).Concat(RelativeName().Matches(file.Text))
            .Select(m => FolderNamespace(m.Groups["ns"].Value.Split('.')))
            .Where(ns => ns.Length > 0 && ns != file.Namespace)
            .Distinct()];

    private static string FolderNamespace(string[] parts)
    {
        var length = 0;
        while (length < parts.Length && Directory.Exists(Path.Combine([ServerRoot, .. parts[..(length + 1)]])))
        {
            length++;
        }

        return string.Join('.', parts[..length]);
    }

    private static string ServerRoot => Path.Combine(RepoPaths.Root, "server", "GrpcDvc.Server");

    private static IEnumerable<ServerFile> ServerFiles()
    {
        var root = ServerRoot;
        foreach (var path in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, path);
            if (relative.StartsWith("bin", StringComparison.Ordinal) || relative.StartsWith("obj", StringComparison.Ordinal) || relative == "Program.cs")
            {
                continue;
            }

            var text = File.ReadAllText(path);
            var ns = FileNamespace().Match(text);
            yield return new ServerFile(relative, ns.Success ? ns.Groups["ns"].Value : "", text);
        }
    }

    [GeneratedRegex(@"^namespace GrpcDvc\.Server\.(?<ns>[\w.]+);", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();

    [GeneratedRegex(@"GrpcDvc\.Server\.(?<ns>[A-Z]\w*(?:\.[A-Z]\w*)*)")]
    private static partial Regex ServerNamespace();

    // A room's name opening a qualified name, not a member access ("options.Identity.X" is a property).
    [GeneratedRegex(@"(?<![\w.])(?<ns>(?:Access|Appointments|Audit|Calendar|Catalog|Dossiers|Errors|Hosting|Identity|Jobs|Listing|Notifications|Population|Storage|Text)(?:\.[A-Z]\w*)+)")]
    private static partial Regex RelativeName();

    private sealed record ServerFile(string Path, string Namespace, string Text);
}
