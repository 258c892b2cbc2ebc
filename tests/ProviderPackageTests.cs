using System.Formats.Tar;
using System.IO.Compression;
using HashiCorp.Cdktf.Providers.Aws.Provider;

namespace MlopsTf.Tests;

/// <summary>
/// The provider package scripts/setup-packages.sh builds: the npm package it embeds for the jsii kernel loads the
/// provider's submodules on first use (its main is the package's own lib/lazy-index.js), so a synth does not compile
/// the JavaScript of the 2,000 resource types it never uses.
/// </summary>
public class ProviderPackageTests
{
    private static Dictionary<string, byte[]> EmbeddedPackageFiles(params string[] names)
    {
        var assembly = typeof(AwsProvider).Assembly;
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith(".tgz", StringComparison.Ordinal));
        using var tgz = assembly.GetManifestResourceStream(resource)!;
        using var tar = new TarReader(new GZipStream(tgz, CompressionMode.Decompress));
        var found = new Dictionary<string, byte[]>();
        while (tar.GetNextEntry() is { } entry)
        {
            if (!names.Contains(entry.Name) || entry.DataStream is null) continue;
            using var copy = new MemoryStream();
            entry.DataStream.CopyTo(copy);
            found[entry.Name] = copy.ToArray();
        }
        return found;
    }

    [Fact]
    public void The_embedded_provider_package_loads_its_submodules_lazily()
    {
        var files = EmbeddedPackageFiles("package/package.json", "package/lib/lazy-index.js");
        var manifest = JsonNode.Parse(files["package/package.json"])!;
        Assert.Equal("@cdktf/provider-aws", (string?)manifest["name"]);
        Assert.Equal("lib/lazy-index.js", (string?)manifest["main"]);
        Assert.Contains("Object.defineProperty(exports, 'sagemakerEndpoint', { get: function ()", Encoding.UTF8.GetString(files["package/lib/lazy-index.js"]));
    }
}
