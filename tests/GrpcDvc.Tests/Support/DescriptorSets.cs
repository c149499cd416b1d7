using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace GrpcDvc.Tests.Support;

/// <summary>Writes a FileDescriptorSet (files with all their imports) for peers in other languages.</summary>
internal static class DescriptorSets
{
    public static string Write(params FileDescriptor[] files)
    {
        var set = new FileDescriptorSet();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            Add(file, set, seen);
        }

        var path = Path.Combine(Path.GetTempPath(), $"grpcdvc-{Guid.NewGuid():N}.pb");
        File.WriteAllBytes(path, set.ToByteArray());
        return path;
    }

    private static void Add(FileDescriptor file, FileDescriptorSet set, HashSet<string> seen)
    {
        if (!seen.Add(file.Name))
        {
            return;
        }

        // Dependencies first: a descriptor pool needs a file's imports before the file.
        foreach (var dependency in file.Dependencies)
        {
            Add(dependency, set, seen);
        }

        set.File.Add(FileDescriptorProto.Parser.ParseFrom(file.SerializedData));
    }
}
