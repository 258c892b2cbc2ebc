using System.IO.Compression;
using System.Security.Cryptography;

namespace MlopsTf.Constructs.Lambda;

/// <summary>
/// A function's source folder as a zip, made in-process (cdktf's archive assets start a Node.js process per asset).
/// The zip is reproducible (entries in name order, fixed timestamps, mode 0644), so its <c>filebase64sha256</c> only
/// changes with the files; its asset hash is cdktf's own for the folder (MD5 over the files' bytes in name order), so
/// the synthesized asset paths are those an archive asset would have.
/// </summary>
public static class SourceArchive
{
    private static readonly DateTimeOffset Epoch = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private const int RegularFileMode = 0b1_000_000_110_100_100; // S_IFREG | 0644

    /// <summary>Zips <paramref name="sourceDirectory"/> into a cache folder; returns the zip (named <c>archive.zip</c>) and the folder's asset hash.</summary>
    public static (string ZipPath, string AssetHash) Package(string sourceDirectory)
    {
        var files = FilesInOrder(sourceDirectory, "").ToList();
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        // cdktf's hash leaves the names out; the zip's cache key must not (two folders may hold the same bytes).
        using var key = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, path) in files)
        {
            var bytes = File.ReadAllBytes(path);
            md5.AppendData(bytes);
            key.AppendData(System.Text.Encoding.UTF8.GetBytes(name + "\0"));
            key.AppendData(SHA256.HashData(bytes));
        }
        var hash = Convert.ToHexString(md5.GetHashAndReset());
        var folder = Path.Combine(Path.GetTempPath(), "mlopstf-assets", Convert.ToHexString(key.GetHashAndReset()));
        var zip = Path.Combine(folder, "archive.zip");
        if (File.Exists(zip)) return (zip, hash);
        Directory.CreateDirectory(folder);
        var partial = Path.Combine(folder, $".archive.{Environment.ProcessId}.{Guid.NewGuid():N}.zip");
        using (var archive = ZipFile.Open(partial, ZipArchiveMode.Create))
            foreach (var (name, path) in files)
            {
                var entry = archive.CreateEntry(name, CompressionLevel.SmallestSize);
                entry.LastWriteTime = Epoch;
                entry.ExternalAttributes = RegularFileMode << 16;
                using var to = entry.Open();
                using var from = File.OpenRead(path);
                from.CopyTo(to);
            }
        File.Move(partial, zip, overwrite: true);
        return (zip, hash);
    }

    // Name order by bytes, as Node.js lists a folder (libuv sorts its scandir), depth first.
    private static IEnumerable<(string Name, string Path)> FilesInOrder(string directory, string prefix)
    {
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            if (entry is DirectoryInfo sub)
                foreach (var file in FilesInOrder(sub.FullName, prefix + entry.Name + "/")) yield return file;
            else
                yield return (prefix + entry.Name, entry.FullName);
        }
    }
}
