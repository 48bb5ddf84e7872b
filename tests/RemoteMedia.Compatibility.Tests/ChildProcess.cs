using System.Diagnostics;

namespace RemoteMedia.Compatibility.Tests;

/// <summary>Runs the built <c>remotemedia</c> CLI in a fresh process, where the once-per-process native decision is made anew.</summary>
internal static class ChildProcess
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static (int ExitCode, string Output) RunCli(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var cli = CliPath();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(cli);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        // The child decides from its own environment only: clear the parent's switches first.
        start.Environment.Remove("REMOTEMEDIA_DISABLE_NATIVE");
        start.Environment.Remove("REMOTEMEDIA_NATIVE_PATH");
        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"remotemedia {string.Join(' ', args)} did not finish in 60 s");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string CliPath()
    {
        // Same configuration and framework as this test assembly: .../bin/<Configuration>/<tfm>/
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = baseDir.Name;
        var configuration = baseDir.Parent!.Name;
        var path = Path.Combine(RepoRoot, "src", "RemoteMedia.Cli", "bin", configuration, tfm, "remotemedia.dll");
        Assert.True(File.Exists(path), $"the CLI is not built at {path}");
        return path;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RemoteMedia.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("repository root (RemoteMedia.sln) not found above " + AppContext.BaseDirectory);
    }
}
