using RemoteMedia.Tests.Support;

namespace RemoteMedia.Tests.Runtime;

/// <summary>
/// The runtime decision in fresh processes: disabled by environment, library missing, library present.
/// The CLI is the child process; it reports the decision through `remotemedia info`.
/// </summary>
public class FallbackTests
{
    private static string CliDll => Path.Combine(RepoLayout.CliDirectory, "remotemedia.dll");

    private static string Sample => Path.Combine(RepoLayout.Root, "samples", "speech-48k-stereo.wav");

    [Fact]
    public void Disabled_by_environment_falls_back_to_managed_with_the_reason()
    {
        var result = ChildProcess.RunDotnet(CliDll, ["info"], new Dictionary<string, string?> { [RemoteMediaRuntime.DisableVariable] = "1" });
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("runtime:        managed", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("DisabledByEnvironment", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_library_falls_back_to_managed_and_native_hint_fails_clearly()
    {
        using var copy = TempCopyOfCliWithoutNative();
        var dll = Path.Combine(copy.Path, "remotemedia.dll");
        Assert.False(File.Exists(Path.Combine(copy.Path, "libremotemedia_native.so")));

        var info = ChildProcess.RunDotnet(dll, ["info"]);
        Assert.Equal(0, info.ExitCode);
        Assert.Contains("runtime:        managed", info.StdOut, StringComparison.Ordinal);
        Assert.Contains("NotFound", info.StdOut, StringComparison.Ordinal);

        var output = Path.Combine(copy.Path, "out.wav");
        var auto = ChildProcess.RunDotnet(dll, ["convert", Sample, output, "--format", "i16", "--channels", "1"]);
        Assert.True(auto.ExitCode == 0, auto.All);
        Assert.Contains("(Managed)", auto.StdErr, StringComparison.Ordinal);
        Assert.True(File.Exists(output));

        var native = ChildProcess.RunDotnet(dll, ["convert", Sample, output + "2", "--runtime", "native"]);
        Assert.Equal(1, native.ExitCode);
        Assert.Contains("native runtime was requested but is unavailable", native.StdErr, StringComparison.Ordinal);
        Assert.Contains("not found", native.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(output + "2"));
    }

    [Fact]
    public void Override_path_to_a_missing_file_reports_not_found()
    {
        var result = ChildProcess.RunDotnet(CliDll, ["info"],
            new Dictionary<string, string?> { ["REMOTEMEDIA_NATIVE_PATH"] = Path.Combine(Path.GetTempPath(), "no-such-dir", "libremotemedia_native.so") });
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("NotFound", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("no-such-dir", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Library_present_is_used_unless_disabled()
    {
        var result = ChildProcess.RunDotnet(CliDll, ["info"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("runtime:        native", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("abi version:    1", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void This_process_reports_a_decision_consistent_with_its_environment()
    {
        var status = RemoteMediaRuntime.Status;
        if (Environment.GetEnvironmentVariable(RemoteMediaRuntime.DisableVariable) == "1")
        {
            Assert.False(status.IsNativeAvailable);
            Assert.Equal(NativeUnavailableReason.DisabledByEnvironment, status.Reason);
            var ex = Assert.Throws<RemoteMediaException>(() => RemoteMediaRuntime.Resolve(RuntimeHint.Native));
            Assert.Contains(RemoteMediaRuntime.DisableVariable, ex.Message, StringComparison.Ordinal);
            Assert.Equal(NodeRuntime.Managed, RemoteMediaRuntime.Resolve(RuntimeHint.Auto));
        }
        else
        {
            Assert.True(status.IsNativeAvailable, status.Description);
            Assert.Equal(NodeRuntime.Native, RemoteMediaRuntime.Resolve(RuntimeHint.Auto));
        }
        Assert.Equal(NodeRuntime.Managed, RemoteMediaRuntime.Resolve(RuntimeHint.Managed));
        Assert.Same(status, RemoteMediaRuntime.Status);
    }

    private static TempDirectory TempCopyOfCliWithoutNative()
    {
        var temp = new TempDirectory();
        foreach (var file in Directory.GetFiles(RepoLayout.CliDirectory))
        {
            if (!Path.GetFileName(file).StartsWith("libremotemedia_native", StringComparison.Ordinal))
            {
                File.Copy(file, Path.Combine(temp.Path, Path.GetFileName(file)));
            }
        }
        return temp;
    }
}
