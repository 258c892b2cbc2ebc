using System.IO.Compression;
using MlopsTf.Constructs.Lambda;

namespace MlopsTf.Tests.Constructs;

public class SourceArchiveTests
{
    private static string Folder()
    {
        var folder = Directory.CreateTempSubdirectory("mlopstf-archive-").FullName;
        File.WriteAllText(Path.Combine(folder, "handler.py"), "def handler(event, context):\n    return event\n");
        File.WriteAllText(Path.Combine(folder, "Z.json"), "{}");
        Directory.CreateDirectory(Path.Combine(folder, "lib", "sub"));
        File.WriteAllText(Path.Combine(folder, "lib", "a.py"), "A = 1\n");
        File.WriteAllText(Path.Combine(folder, "lib", "sub", "b.py"), "B = 2\n");
        return folder;
    }

    [Fact]
    public void The_asset_hash_is_cdktf_s_own_for_the_folder()
    {
        var folder = Folder();
        var fs = Path.Combine(RepoPaths.Root, "node_modules", "cdktf", "lib", "private", "fs.js");
        var node = Command.Run("node", ["-e", "process.stdout.write(require(process.argv[1]).hashPath(process.argv[2]))", fs, folder]);
        Assert.Equal(0, node.ExitCode);
        Assert.Equal(node.Stdout, SourceArchive.Package(folder).AssetHash);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void The_zip_is_reproducible_with_every_file_readable_and_changes_with_a_file()
    {
        var folder = Folder();
        var (first, hash) = SourceArchive.Package(folder);
        var bytes = File.ReadAllBytes(first);
        File.Delete(first);
        File.SetLastWriteTimeUtc(Path.Combine(folder, "handler.py"), DateTime.UtcNow.AddDays(-3));
        Assert.Equal(bytes, File.ReadAllBytes(SourceArchive.Package(folder).ZipPath));
        using (var zip = ZipFile.OpenRead(first))
        {
            Assert.Equal(["Z.json", "handler.py", "lib/a.py", "lib/sub/b.py"], zip.Entries.Select(e => e.FullName));
            Assert.All(zip.Entries, e => Assert.Equal(0b1_000_000_110_100_100, (e.ExternalAttributes >> 16) & 0xFFFF));
            Assert.All(zip.Entries, e => Assert.Equal(1980, e.LastWriteTime.Year));
            using var reader = new StreamReader(zip.GetEntry("lib/sub/b.py")!.Open());
            Assert.Equal("B = 2\n", reader.ReadToEnd());
        }
        File.WriteAllText(Path.Combine(folder, "lib", "a.py"), "A = 3\n");
        var changed = SourceArchive.Package(folder);
        Assert.NotEqual(hash, changed.AssetHash);
        Assert.NotEqual(bytes, File.ReadAllBytes(changed.ZipPath));
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void Folders_with_the_same_bytes_under_other_names_get_their_own_zip()
    {
        var a = Directory.CreateTempSubdirectory("mlopstf-archive-").FullName;
        var b = Directory.CreateTempSubdirectory("mlopstf-archive-").FullName;
        File.WriteAllText(Path.Combine(a, "first.py"), "X = 1\n");
        File.WriteAllText(Path.Combine(b, "second.py"), "X = 1\n");
        var (zipA, hashA) = SourceArchive.Package(a);
        var (zipB, hashB) = SourceArchive.Package(b);
        Assert.Equal(hashA, hashB);
        using (var zip = ZipFile.OpenRead(zipB)) Assert.Equal(["second.py"], zip.Entries.Select(e => e.FullName));
        Assert.NotEqual(zipA, zipB);
        Directory.Delete(a, recursive: true);
        Directory.Delete(b, recursive: true);
    }
}
