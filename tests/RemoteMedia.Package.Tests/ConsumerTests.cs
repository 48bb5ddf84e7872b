using System.Diagnostics;
using System.IO.Compression;

namespace RemoteMedia.Package.Tests;

/// <summary>
/// A fresh console project restores RemoteMedia from a local folder feed and runs it twice: as packaged
/// (native used) and with the native asset removed from its output (managed fallback, same results).
/// </summary>
public sealed class ConsumerTests : IDisposable
{
    private readonly string work = Path.Combine(Path.GetTempPath(), "remotemedia-consumer-" + Guid.NewGuid().ToString("N"));

    private static string Feed => Environment.GetEnvironmentVariable("REMOTEMEDIA_PACKAGE_FEED")
        ?? throw new InvalidOperationException("REMOTEMEDIA_PACKAGE_FEED is not set: run this through ./build.sh test (it packs first)");

    private static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "RemoteMedia.sln")))
                {
                    return dir.FullName;
                }
            }
            throw new InvalidOperationException("run from inside the source checkout");
        }
    }

    [Fact]
    public void Package_holds_the_sdk_and_the_native_library_for_this_platform()
    {
        var package = Path.Combine(Feed, $"RemoteMedia.{Version}.nupkg");
        using var zip = ZipFile.OpenRead(package);
        var entries = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("lib/net10.0/RemoteMedia.Core.dll", entries);
        Assert.Contains($"runtimes/{HostRid}/native/{NativeFileName}", entries);
        Assert.Contains("README.md", entries);
        Assert.True(File.Exists(Path.Combine(Feed, $"RemoteMedia.Pipeline.{Version}.nupkg")));
        Assert.True(File.Exists(Path.Combine(Feed, $"RemoteMedia.WebRtc.{Version}.nupkg")));
    }

    private static string HostRid =>
        (OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux") + "-"
        + System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();

    private static string NativeFileName =>
        OperatingSystem.IsWindows() ? "remotemedia_native.dll" : OperatingSystem.IsMacOS() ? "libremotemedia_native.dylib" : "libremotemedia_native.so";

    /// <summary>The version of the packed SDK, read off its file name.</summary>
    private static string Version =>
        Directory.GetFiles(Feed, "RemoteMedia.*.nupkg")
            .Select(Path.GetFileNameWithoutExtension)
            .Select(n => n!["RemoteMedia.".Length..])
            .Single(v => char.IsDigit(v[0]));

    [Fact]
    public void Consumer_runs_native_as_packaged_and_managed_without_the_native_asset()
    {
        Directory.CreateDirectory(work);
        foreach (var file in new[] { "PackageConsumer.csproj", "Program.cs" })
        {
            File.Copy(Path.Combine(RepoRoot, "tests", "PackageConsumer", file), Path.Combine(work, file));
        }
        // Empty Directory.*.props/targets stop the repository's own build settings from leaking in.
        File.WriteAllText(Path.Combine(work, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(work, "Directory.Packages.props"), "<Project />");
        File.WriteAllText(Path.Combine(work, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="remotemedia-local" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        Run("dotnet", "build", "-c", "Release", "-nologo", $"-p:RemoteMediaVersion={Version}", $"-p:RestorePackagesPath={Path.Combine(work, "packages")}");
        var dll = Path.Combine(work, "bin", "Release", "net10.0", "PackageConsumer.dll");

        var packaged = Parse(Run("dotnet", dll));
        Assert.Equal("native", packaged["runtime"]);
        Assert.Equal("native,native,native", packaged["node runtimes"]);

        foreach (var native in Directory.GetFiles(Path.Combine(work, "bin"), "*remotemedia_native.*", SearchOption.AllDirectories))
        {
            File.Delete(native);
        }
        var fallback = Parse(Run("dotnet", dll));
        Assert.Equal("managed", fallback["runtime"]);
        Assert.Equal("NotFound", fallback["reason"]);
        Assert.Equal("managed,managed,managed", fallback["node runtimes"]);

        // Same results within tolerance: the same frames, the same VAD decisions, the same level to ~1e-6.
        Assert.Equal(packaged["output"], fallback["output"]);
        Assert.Equal(packaged["speech frames"], fallback["speech frames"]);
        var speechFrames = int.Parse(packaged["speech frames"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(speechFrames, 30, 36); // 1 s of tone in 30 ms frames
        var nativeRms = double.Parse(packaged["rms"], System.Globalization.CultureInfo.InvariantCulture);
        var managedRms = double.Parse(fallback["rms"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(nativeRms, 0.15, 0.25); // a 0.5-amplitude tone for a third of the time
        Assert.True(Math.Abs(nativeRms - managedRms) < 1e-6 * nativeRms, $"native rms {nativeRms} vs managed {managedRms}");
    }

    private static Dictionary<string, string> Parse(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(": ", 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0].Trim(), parts => parts[1].Trim());

    private string Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment.Remove("REMOTEMEDIA_DISABLE_NATIVE");
        info.Environment.Remove("REMOTEMEDIA_NATIVE_PATH");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} timed out");
        }
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} failed ({process.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
        return stdout.Result;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(work, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
