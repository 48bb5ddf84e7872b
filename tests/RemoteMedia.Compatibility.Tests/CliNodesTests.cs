namespace RemoteMedia.Compatibility.Tests;

/// <summary><c>remotemedia nodes</c> in a child process, with and without the native library.</summary>
public class CliNodesTests
{
    [Fact]
    public void NodesListsEveryKindWithDefaultsAndRuntimes()
    {
        var (exit, output) = ChildProcess.RunCli(new Dictionary<string, string?>(), "nodes");
        Assert.Equal(0, exit);
        foreach (var kind in new[] { "FormatConverterNode", "PassThrough", "AudioBuffer", "AudioTransform", "VADTriggeredBuffer" })
        {
            Assert.Contains(kind + "\n", output.ReplaceLineEndings("\n"));
        }
        Assert.Contains("FormatConverterNode\n  runtimes: native, managed", output.ReplaceLineEndings("\n"));
        Assert.Contains("AudioBuffer\n  runtimes: managed", output.ReplaceLineEndings("\n"));
        Assert.Contains("buffer_size_samples (integer >= 1, default 1024)", output);
        Assert.Contains("silence_duration_s (number, default 0.5)", output);
    }

    [Fact]
    public void NodesSaysWhyNativeIsNotAvailable()
    {
        var (exit, output) = ChildProcess.RunCli(new Dictionary<string, string?> { ["REMOTEMEDIA_DISABLE_NATIVE"] = "1" }, "nodes");
        Assert.Equal(0, exit);
        Assert.Contains("FormatConverterNode\n  runtimes: managed (native implementation exists, not loaded: disabled by REMOTEMEDIA_DISABLE_NATIVE=1)",
            output.ReplaceLineEndings("\n"));
    }
}
