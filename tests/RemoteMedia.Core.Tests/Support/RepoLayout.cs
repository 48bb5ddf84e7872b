namespace RemoteMedia.Tests.Support;

/// <summary>Paths inside the source checkout the tests run from.</summary>
public static class RepoLayout
{
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration of this test run (Debug or Release), read off the output path.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    public static string CliDirectory => Path.Combine(Root, "src", "RemoteMedia.Cli", "bin", Configuration, "net10.0");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RemoteMedia.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("tests must run from inside the source checkout");
    }
}
