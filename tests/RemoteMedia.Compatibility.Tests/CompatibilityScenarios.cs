using System.Text.Json;
using RemoteMedia.Nodes;
using RemoteMedia.Pipeline;
using RemoteMedia.Pipeline.Nodes;

namespace RemoteMedia.Compatibility.Tests;

/// <summary>
/// The original SDK's 15 compatibility scenarios in C# terms. Each holds in both CI legs: with the native library,
/// and with REMOTEMEDIA_DISABLE_NATIVE=1, where "uses native" becomes "uses managed and says why".
/// </summary>
public class CompatibilityScenarios : IDisposable
{
    private static readonly bool NativeDisabledByEnvironment = Environment.GetEnvironmentVariable("REMOTEMEDIA_DISABLE_NATIVE") == "1";
    private static readonly string ExampleManifest = Path.Combine(ChildProcess.RepoRoot, "docs", "examples", "mono-blocks.json");
    private static readonly string SampleWav = Path.Combine(ChildProcess.RepoRoot, "samples", "speech-48k-stereo.wav");
    private readonly string dir = Directory.CreateTempSubdirectory("rm-compat-").FullName;

    static CompatibilityScenarios() => PipelineNodeKinds.RegisterTo(NodeRegistry.Default);

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static bool Native => RemoteMediaRuntime.Status.IsNativeAvailable;

    [Fact]
    public void S01_NativeAvailabilityIsReportedAsABool()
    {
        bool available = RemoteMediaRuntime.Status.IsNativeAvailable;
        // The build always produces the library, so only the environment switch can turn it off here.
        Assert.Equal(!NativeDisabledByEnvironment, available);
        Assert.Equal(available ? NativeUnavailableReason.None : NativeUnavailableReason.DisabledByEnvironment, RemoteMediaRuntime.Status.Reason);
    }

    [Fact]
    public void S02_TryLoadGivesTheNativeVersionOrAnErrorMessage()
    {
        var status = RemoteMediaRuntime.Status;
        if (status.IsNativeAvailable)
        {
            Assert.Equal(NativeRuntimeStatus.ExpectedAbiVersion, status.AbiVersion);
            Assert.True(File.Exists(status.LibraryPath), status.LibraryPath);
        }
        else
        {
            Assert.Null(status.AbiVersion);
            Assert.Contains("REMOTEMEDIA_DISABLE_NATIVE", status.Description);
        }
    }

    [Fact]
    public async Task S03_RepeatedCallsReturnTheSameRuntimeObject()
    {
        var first = RemoteMediaRuntime.Status;
        Assert.Same(first, RemoteMediaRuntime.Status);
        Assert.Same(first, await Task.Run(() => RemoteMediaRuntime.Status));
    }

    [Fact]
    public void S04_AutoUsesNativeWhenAvailable()
    {
        using var node = NodeRegistry.Default.Create("FormatConverterNode", "{}", RuntimeHint.Auto);
        Assert.Equal(Native ? NodeRuntime.Native : NodeRuntime.Managed, node.Runtime);
        Assert.Equal(Native ? NodeRuntime.Native : NodeRuntime.Managed, RemoteMediaRuntime.Resolve(RuntimeHint.Auto));
    }

    [Fact]
    public void S05_AnExplicitNativeHintUsesNative()
    {
        if (Native)
        {
            using var node = NodeRegistry.Default.Create("FormatConverterNode", "{}", RuntimeHint.Native);
            Assert.Equal(NodeRuntime.Native, node.Runtime);
        }
        else
        {
            var ex = Assert.Throws<RemoteMediaException>(() => NodeRegistry.Default.Create("FormatConverterNode", "{}", RuntimeHint.Native));
            Assert.Equal(ErrorCode.NotSupported, ex.ErrorCode);
            Assert.Contains("unavailable", ex.Message);
        }
    }

    [Fact]
    public void S06_AManagedHintUsesManaged()
    {
        foreach (var kind in new[] { "FormatConverterNode", "PassThrough", "AudioBuffer", "VADTriggeredBuffer" })
        {
            using var node = NodeRegistry.Default.Create(kind, "{}", RuntimeHint.Managed);
            Assert.Equal(NodeRuntime.Managed, node.Runtime);
        }
    }

    [Fact]
    public void S07_GracefulFallbackWhenNativeLoadingFails()
    {
        var broken = new Dictionary<string, string?> { ["REMOTEMEDIA_NATIVE_PATH"] = Path.Combine(dir, "missing", "libremotemedia_native.so") };
        var (infoExit, info) = ChildProcess.RunCli(broken, "info");
        Assert.Equal(0, infoExit);
        Assert.Contains("runtime:        managed", info);
        Assert.Contains("fallback reason: NotFound", info);
        var output = Path.Combine(dir, "out.wav");
        var (runExit, run) = ChildProcess.RunCli(broken, "run", ExampleManifest, "--input", SampleWav, "--output", output);
        Assert.True(runExit == 0, run);
        Assert.Contains("mono:managed", run);
        Assert.True(new FileInfo(output).Length > 44);
    }

    [Fact]
    public void S08_AWarningIsLoggedWhenNativeIsUnavailable()
    {
        var broken = new Dictionary<string, string?>
        {
            ["REMOTEMEDIA_NATIVE_PATH"] = Path.Combine(dir, "nope.so"),
            ["REMOTEMEDIA_LOG"] = "1",
        };
        var (exit, output) = ChildProcess.RunCli(broken, "info");
        Assert.Equal(0, exit);
        Assert.Contains("warn", output);
        Assert.Contains("native kernels unavailable (NotFound)", output);
        Assert.Contains("nope.so", output);
    }

    [Fact]
    public void S09_NativeHintInAPipelineFailsClearlyWhenNativeCannotLoad()
    {
        var broken = new Dictionary<string, string?> { ["REMOTEMEDIA_NATIVE_PATH"] = Path.Combine(dir, "missing.so") };
        var output = Path.Combine(dir, "out.wav");
        var (exit, text) = ChildProcess.RunCli(broken, "run", ExampleManifest, "--input", SampleWav, "--output", output, "--runtime", "native");
        Assert.Equal(1, exit);
        Assert.Contains("node 'mono'", text);
        Assert.Contains("native runtime was requested but is unavailable", text);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void S10_TheHintIsKeptOnEachNode()
    {
        const string json = """
            {"version":"v1","metadata":{"name":"hints"},
             "nodes":[{"id":"a","node_type":"FormatConverterNode","runtime_hint":"rust"},
                      {"id":"b","node_type":"FormatConverterNode","runtime_hint":"cpython"},
                      {"id":"c","node_type":"FormatConverterNode","runtime_hint":"auto"},
                      {"id":"d","node_type":"PassThrough","runtime_hint":"rust_python"}],
             "connections":[{"from":"a","to":"b"},{"from":"b","to":"c"},{"from":"c","to":"d"}]}
            """;
        var manifest = RemoteMedia.Pipeline.Manifest.PipelineManifest.Parse(json);
        Assert.Equal([RuntimeHint.Native, RuntimeHint.Managed, RuntimeHint.Auto, RuntimeHint.Managed], manifest.Nodes.Select(n => n.RuntimeHint!.Value));
        if (!Native)
        {
            // "rust" means native: without the library that node fails by name, and the others keep their hints.
            var ex = Assert.Throws<RemoteMediaException>(() => AudioPipeline.FromManifest(manifest));
            Assert.Contains("node 'a'", ex.Message);
            manifest = manifest with { Nodes = [manifest.Nodes[0] with { RuntimeHint = RuntimeHint.Auto }, .. manifest.Nodes.Skip(1)] };
        }
        using var pipeline = AudioPipeline.FromManifest(manifest);
        Assert.Equal(manifest.Nodes.Select(n => n.RuntimeHint!.Value), pipeline.Nodes.Select(n => n.Hint));
        var nativeOrManaged = Native ? NodeRuntime.Native : NodeRuntime.Managed;
        Assert.Equal([nativeOrManaged, NodeRuntime.Managed, nativeOrManaged, NodeRuntime.Managed], pipeline.Nodes.Select(n => n.Runtime));
    }

    [Fact]
    public void S11_APipelineWorksWithNativeDisabled()
    {
        var output = Path.Combine(dir, "disabled.wav");
        var (exit, text) = ChildProcess.RunCli(new Dictionary<string, string?> { ["REMOTEMEDIA_DISABLE_NATIVE"] = "1" },
            "run", ExampleManifest, "--input", SampleWav, "--output", output);
        Assert.True(exit == 0, text);
        Assert.Contains("mono:managed", text);
        var reference = Path.Combine(dir, "managed.wav");
        using (var pipeline = AudioPipeline.Load(ExampleManifest, new PipelineOptions { RuntimeOverride = RuntimeHint.Managed }))
        {
            pipeline.RunFile(SampleWav, reference);
        }
        Assert.Equal(File.ReadAllBytes(reference), File.ReadAllBytes(output));
    }

    [Fact]
    public void S12_AutoWorksEverywhere()
    {
        var auto = Path.Combine(dir, "auto.wav");
        var managed = Path.Combine(dir, "managed.wav");
        using (var pipeline = AudioPipeline.Load(ExampleManifest))
        {
            pipeline.RunFile(SampleWav, auto);
            Assert.Equal(Native ? NodeRuntime.Native : NodeRuntime.Managed, pipeline.Nodes[0].Runtime);
        }
        using (var pipeline = AudioPipeline.Load(ExampleManifest, new PipelineOptions { RuntimeOverride = RuntimeHint.Managed }))
        {
            pipeline.RunFile(SampleWav, managed);
        }
        // FormatConverterNode is bit-identical across runtimes, so Auto gives the managed bytes in either leg.
        Assert.Equal(File.ReadAllBytes(managed), File.ReadAllBytes(auto));
    }

    [Fact]
    public void S13_MetricsReportTheRuntimeAndTheFallbackReason()
    {
        using var pipeline = AudioPipeline.Load(ExampleManifest);
        pipeline.RunFile(SampleWav, Path.Combine(dir, "m.wav"));
        using var json = JsonDocument.Parse(pipeline.GetMetrics());
        var mono = json.RootElement.GetProperty("node_metrics")[0];
        Assert.Equal(Native ? "native" : "managed", mono.GetProperty("runtime").GetString());
        if (Native)
        {
            Assert.Equal(JsonValueKind.Null, mono.GetProperty("fallback_reason").ValueKind);
        }
        else
        {
            Assert.Contains("REMOTEMEDIA_DISABLE_NATIVE", mono.GetProperty("fallback_reason").GetString());
        }
        Assert.Equal(Native, json.RootElement.GetProperty("native_available").GetBoolean());
    }

    [Fact]
    [Trait("Requires", "AudioResampleNode")]
    public void S14_ResampleNativeAndManagedAgree()
    {
        var signal = Parity.Signal(48000, 2);
        var format = AudioFormat.F32(48000, 2);
        const string config = """{"target_sample_rate":16000,"quality":"high"}""";
        var managed = Parity.Run("AudioResampleNode", config, RuntimeHint.Managed, format, signal);
        Assert.Equal(AudioFormat.F32(16000, 2), managed.Format);
        Assert.Equal((int)Math.Round(96000 * 16000.0 / 48000) * 8, managed.Output.Length);
        if (!ParityAvailable("AudioResampleNode"))
        {
            return;
        }
        var native = Parity.Run("AudioResampleNode", config, RuntimeHint.Native, format, signal);
        Assert.Equal(managed.Output.Length, native.Output.Length);
        var db = Parity.DifferenceDb(Floats(native.Output), Floats(managed.Output));
        Assert.True(db <= -120, $"native vs managed difference {db:0.0} dB, want <= -120 dB");
    }

    [Theory]
    [Trait("Requires", "VADNode")]
    [InlineData("{}")]
    [InlineData("""{"mode":"energy"}""")]
    public void S15_VadNativeAndManagedAgreeFrameByFrame(string config)
    {
        var signal = Parity.Signal(16000, 1, seconds: 3);
        var format = AudioFormat.F32(16000, 1);
        var managed = Parity.Run("VADNode", config, RuntimeHint.Managed, format, signal);
        var decisions = managed.Events.Where(e => e.Kind == NodeEventKind.VoiceActivity).ToList();
        Assert.NotEmpty(decisions);
        Assert.Contains(decisions, e => e.Value == 1);
        Assert.Contains(decisions, e => e.Value == 0);
        if (!ParityAvailable("VADNode"))
        {
            return;
        }
        var native = Parity.Run("VADNode", config, RuntimeHint.Native, format, signal);
        Assert.Equal(decisions.Select(e => (e.Frame, e.Value)), native.Events.Where(e => e.Kind == NodeEventKind.VoiceActivity).Select(e => (e.Frame, e.Value)));
        Assert.Equal(managed.Events.Where(e => e.Kind != NodeEventKind.VoiceActivity).Select(e => (e.Kind, e.Frame)),
            native.Events.Where(e => e.Kind != NodeEventKind.VoiceActivity).Select(e => (e.Kind, e.Frame)));
        Assert.Equal(managed.Output.Length, native.Output.Length);
    }

    /// <summary>True when both runtimes can be compared; otherwise proves the native request fails with the reason.</summary>
    internal static bool ParityAvailable(string kind)
    {
        Assert.True(NodeRegistry.Default.TryGet(kind, out var info), $"{kind} is not registered");
        Assert.True(info.HasNative, $"{kind} has no native implementation registered");
        if (Native)
        {
            return true;
        }
        var ex = Assert.Throws<RemoteMediaException>(() => NodeRegistry.Default.Create(kind, "{}", RuntimeHint.Native));
        Assert.Equal(ErrorCode.NotSupported, ex.ErrorCode);
        return false;
    }

    internal static float[] Floats(byte[] bytes) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes.AsSpan()).ToArray();
}
