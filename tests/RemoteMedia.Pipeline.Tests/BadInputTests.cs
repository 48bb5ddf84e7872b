using RemoteMedia.Audio.Wav;
using RemoteMedia.Nodes;

namespace RemoteMedia.Pipeline.Tests;

public class BadInputTests : IDisposable
{
    private static readonly NodeRegistry Registry = TestNodes.Registry();
    private readonly string dir = TestSignals.TempDir();

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static PipelineOptions Options => new() { Registry = Registry, MaxBlockFrames = 1024 };

    [Fact]
    public void UnknownNodeTypeNamesTheNode()
    {
        var ex = Assert.Throws<RemoteMediaException>(() => AudioPipeline.Parse(ManifestTests.Single("WhisperNode", "{}"), Options));
        Assert.Equal(ErrorCode.UnknownNodeKind, ex.ErrorCode);
        Assert.Contains("node 'n' (WhisperNode)", ex.Message);
        Assert.Contains("unknown node kind 'WhisperNode'", ex.Message);
        Assert.Equal("n", PipelineErrors.FailingNodeId(ex));
    }

    [Theory]
    [InlineData("AudioBuffer", """{"buffer_size_samples":"big"}""", "'buffer_size_samples' must be an integer")]
    [InlineData("AudioBuffer", """{"buffer_size_samples":0}""", "'buffer_size_samples' must be between 1")]
    [InlineData("AudioBuffer", """{"buffer_size_samples":1.5}""", "'buffer_size_samples' must be an integer")]
    [InlineData("FormatConverterNode", """{"target_format":"f64"}""", "'target_format' must be one of")]
    [InlineData("PassThrough", """{"gain":2}""", "unknown parameter(s) 'gain'")]
    public void WrongParameterTypesAndRangesNameTheNodeAndParameter(string kind, string parameters, string expected)
    {
        var ex = Assert.Throws<RemoteMediaException>(() => AudioPipeline.Parse(ManifestTests.Single(kind, parameters), Options with { RuntimeOverride = RuntimeHint.Managed }));
        Assert.Equal(ErrorCode.InvalidConfig, ex.ErrorCode);
        Assert.Contains($"node 'n' ({kind})", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void ANodeThrowingMidStreamIsNamedAndTheSessionStopsAccepting()
    {
        using var pipeline = AudioPipeline.CreateBuilder("boom").WithOptions(Options)
            .Then("first", "PassThrough")
            .Then("bad", TestNodes.Throwing, """{"fail_on_call":3}""")
            .Then("last", "PassThrough")
            .Build();
        var outputs = 0;
        using var session = pipeline.OpenSession(AudioFormat.F32(16000, 1), (_, _, _) => outputs++);
        session.Push(new byte[100 * 4]);
        session.Push(new byte[100 * 4]);
        var ex = Assert.Throws<RemoteMediaException>(() => session.Push(new byte[100 * 4]));
        Assert.Contains("node 'bad' (TestThrowing) failed in process", ex.Message);
        Assert.Contains("simulated failure on call 3", ex.Message);
        Assert.IsType<InvalidOperationException>(ex.InnerException);
        Assert.Equal("bad", PipelineErrors.FailingNodeId(ex));
        Assert.Equal(2, outputs);
        Assert.Throws<InvalidOperationException>(() => session.Push(new byte[4]));
        var bad = pipeline.NodeMetrics.Single(m => m.NodeId == "bad");
        Assert.Equal(3, bad.Calls);
        Assert.Equal(1, bad.Errors);
        Assert.Contains("\"error_count\": 1", pipeline.GetMetrics());
    }

    [Fact]
    public void AFailedFileRunLeavesNoOutputFile()
    {
        var input = Path.Combine(dir, "in.wav");
        var output = Path.Combine(dir, "out.wav");
        WavWriter.WriteAll(input, AudioFormat.F32(16000, 1), TestSignals.Bytes(TestSignals.Sine(16000, 1, 16000)));
        using var pipeline = AudioPipeline.CreateBuilder("boom").WithOptions(Options)
            .Then("ok", "PassThrough")
            .Then("bad", TestNodes.Throwing, """{"fail_on_call":5}""")
            .Build();
        var ex = Assert.Throws<RemoteMediaException>(() => pipeline.RunFile(input, output));
        Assert.Equal("bad", PipelineErrors.FailingNodeId(ex));
        Assert.False(File.Exists(output));
        Assert.Equal(["in.wav"], Directory.GetFiles(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void AFailedRunKeepsAnExistingOutputFileUntouched()
    {
        var input = Path.Combine(dir, "in.wav");
        var output = Path.Combine(dir, "out.wav");
        WavWriter.WriteAll(input, AudioFormat.F32(16000, 1), TestSignals.Bytes(TestSignals.Sine(8000, 1, 16000)));
        File.WriteAllText(output, "previous result");
        using var pipeline = AudioPipeline.CreateBuilder("boom").WithOptions(Options).Then("bad", TestNodes.Throwing, """{"fail_on_call":2}""").Build();
        Assert.Throws<RemoteMediaException>(() => pipeline.RunFile(input, output));
        Assert.Equal("previous result", File.ReadAllText(output));
    }

    [Fact]
    public void TruncatedWavInputIsAClearErrorWithNoOutput()
    {
        var input = Path.Combine(dir, "truncated.wav");
        var output = Path.Combine(dir, "out.wav");
        WavWriter.WriteAll(input, AudioFormat.S16(16000, 1), new byte[32000]);
        var bytes = File.ReadAllBytes(input);
        File.WriteAllBytes(input, bytes[..(bytes.Length / 2)]);
        using var pipeline = AudioPipeline.CreateBuilder("t").WithOptions(Options).Then("p", "PassThrough").Build();
        var ex = Assert.Throws<RemoteMediaException>(() => pipeline.RunFile(input, output));
        Assert.Contains("truncated", ex.Message);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void NonWavInputIsAClearErrorWithNoOutput()
    {
        var input = Path.Combine(dir, "notes.txt");
        var output = Path.Combine(dir, "out.wav");
        File.WriteAllText(input, "this is not audio at all, just some text");
        using var pipeline = AudioPipeline.CreateBuilder("t").WithOptions(Options).Then("p", "PassThrough").Build();
        var ex = Assert.Throws<RemoteMediaException>(() => pipeline.RunFile(input, output));
        Assert.Contains("not a RIFF/WAVE file", ex.Message);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void APushThatIsNotWholeFramesIsRejected()
    {
        using var pipeline = AudioPipeline.CreateBuilder("t").WithOptions(Options).Then("p", "PassThrough").Build();
        using var session = pipeline.OpenSession(AudioFormat.F32(16000, 2), (_, _, _) => { });
        Assert.Throws<ArgumentException>(() => session.Push(new byte[12]));
    }

    [Fact]
    public void AnUnsupportedInputFormatNamesTheNodeWhenTheSessionOpens()
    {
        using var pipeline = AudioPipeline.CreateBuilder("t").WithOptions(Options with { RuntimeOverride = RuntimeHint.Managed })
            .Then("up", "FormatConverterNode", """{"target_channels":3}""").Build();
        var ex = Assert.Throws<RemoteMediaException>(() => pipeline.OpenSession(AudioFormat.F32(16000, 2), (_, _, _) => { }));
        Assert.Contains("node 'up'", ex.Message);
        Assert.Equal("up", PipelineErrors.FailingNodeId(ex));
    }
}
