using System.Text.RegularExpressions;
using RemoteMedia.Tests.Support;

namespace RemoteMedia.Tests.Architecture;

/// <summary>The promises of the layout: one node contract per language, nothing active depends on archive/.</summary>
public class ArchitectureTests
{
    private static IEnumerable<string> ActiveFiles(string folder, string pattern) =>
        Directory.EnumerateFiles(Path.Combine(RepoLayout.Root, folder), pattern, SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}target{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [Fact]
    public void There_is_exactly_one_node_contract_in_rust_and_one_in_csharp()
    {
        var rust = ActiveFiles("native-rust/src", "*.rs").Where(f => Regex.IsMatch(File.ReadAllText(f), @"^\s*pub trait NodeExecutor\b", RegexOptions.Multiline)).ToList();
        var csharp = ActiveFiles("src", "*.cs").Where(f => Regex.IsMatch(File.ReadAllText(f), @"\binterface INodeExecutor\b")).ToList();
        Assert.Single(rust);
        Assert.Single(csharp);
    }

    [Fact]
    public void The_active_build_references_nothing_under_archive()
    {
        var root = RepoLayout.Root;
        var buildFiles = new[] { "RemoteMedia.sln", "build.sh", "build.ps1", "native-rust/Cargo.toml", ".ci/run", "Directory.Build.props", "Directory.Packages.props" }
            .Select(f => Path.Combine(root, f))
            .Concat(ActiveFiles("src", "*.csproj"))
            .Concat(ActiveFiles("tests", "*.csproj"))
            .Concat(ActiveFiles("benchmarks", "*.csproj"))
            .Concat(ActiveFiles("interop", "*.csproj"))
            .Where(File.Exists)
            .ToList();
        Assert.Contains(buildFiles, f => f.EndsWith("RemoteMedia.sln", StringComparison.Ordinal));
        var offenders = buildFiles.Where(f => Regex.IsMatch(File.ReadAllText(f), @"(^|[\\/""'\s=])archive[\\/]")).ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void Archive_index_lists_every_archived_component()
    {
        var archive = Path.Combine(RepoLayout.Root, "archive");
        var index = File.ReadAllText(Path.Combine(archive, "README.md"));
        foreach (var component in Directory.GetDirectories(archive))
        {
            var name = Path.GetFileName(component);
            Assert.True(File.Exists(Path.Combine(component, "README.md")), $"archive/{name} has no README.md");
            Assert.Contains(name, index, StringComparison.Ordinal);
        }
    }
}
