using RemoteMedia.Nodes;

namespace RemoteMedia.Pipeline.Tests;

public class PipelineExecutionTests
{
    private static readonly NodeRegistry Registry = TestNodes.Registry();
    private static readonly AudioFormat Stereo48k = AudioFormat.F32(48000, 2);

    private static PipelineOptions Options(RuntimeHint? runtime = null) => new() { Registry = Registry, RuntimeOverride = runtime };

    [Theory]
    [InlineData(RuntimeHint.Managed)]
    [InlineData(RuntimeHint.Auto)]
    public void LinearChainMatchesTheNodesCalledDirectly(RuntimeHint hint)
    {
        var input = TestSignals.Sine(4800, 2, 48000);
        using var pipeline = AudioPipeline.CreateBuilder("chain").WithOptions(Options(hint))
            .Then("mono", "FormatConverterNode", """{"target_channels":1,"target_format":"i16"}""")
            .Then("tap", "PassThrough")
            .Build();
        var result = pipeline.Run(Stereo48k, TestSignals.Bytes(input));

        using var direct = Registry.Create("FormatConverterNode", """{"target_channels":1,"target_format":"i16"}""", RuntimeHint.Managed);
        var expected = new byte[4800 * 2];
        direct.Process(Stereo48k, TestSignals.Bytes(input), expected);
        Assert.Equal(AudioFormat.S16(48000, 1), result.OutputFormat);
        Assert.Equal(expected, result.Output);
        Assert.Equal("tap", result.OutputNodeId);
    }

    [Fact]
    public void AudioBufferRechunksAnyPushPatternIntoFixedBlocksAndFlushesTheRest()
    {
        var input = TestSignals.Sine(10_000, 1, 16000);
        using var pipeline = AudioPipeline.CreateBuilder("rechunk").WithOptions(Options())
            .Then("buf", "AudioBuffer", """{"buffer_size_samples":320}""")
            .Build();
        var blocks = new List<float[]>();
        using (var session = pipeline.OpenSession(AudioFormat.F32(16000, 1), (_, chunk, data) => blocks.Add(TestSignals.Floats(data.ToArray()))))
        {
            var random = new Random(7);
            var offset = 0;
            while (offset < input.Length)
            {
                var n = Math.Min(random.Next(1, 1500), input.Length - offset);
                session.Push(input.AsSpan(offset, n));
                offset += n;
            }
            session.Finish();
        }
        Assert.All(blocks.SkipLast(1), b => Assert.Equal(320, b.Length));
        Assert.Equal(10_000 % 320, blocks[^1].Length);
        Assert.Equal(input, blocks.SelectMany(b => b).ToArray());
    }

    [Fact]
    public void StreamingInSmallPushesGivesTheSameOutputAsOneBatch()
    {
        var input = TestSignals.Sine(9_999, 2, 48000);
        using var pipeline = AudioPipeline.CreateBuilder("same").WithOptions(Options() with { MaxBlockFrames = 256 })
            .Then("mono", "FormatConverterNode", """{"target_channels":1}""")
            .Then("buf", "AudioBuffer", """{"buffer_size_samples":100}""")
            .Build();
        var batch = pipeline.Run(Stereo48k, TestSignals.Bytes(input)).Output;
        var streamed = new List<byte>();
        using (var session = pipeline.OpenSession(Stereo48k, (_, _, data) => streamed.AddRange(data.ToArray())))
        {
            for (var offset = 0; offset < input.Length; offset += 2 * 37)
            {
                session.Push(input.AsSpan(offset, Math.Min(2 * 37, input.Length - offset)));
            }
            session.Finish();
        }
        Assert.Equal(batch, streamed.ToArray());
        Assert.Equal(9_999 * 4, batch.Length);
    }

    [Fact]
    public void FanOutThenFanInMixesTheBranchesSampleBySample()
    {
        var input = TestSignals.Sine(5000, 1, 16000);
        using var pipeline = AudioPipeline.CreateBuilder("dag").WithOptions(Options())
            .AddNode("in", "PassThrough")
            .AddNode("half", TestNodes.Gain, """{"gain":0.5}""")
            .AddNode("chunked", "AudioBuffer", """{"buffer_size_samples":333}""")
            .AddNode("mix", "PassThrough")
            .Connect("in", "half").Connect("in", "chunked").Connect("half", "mix").Connect("chunked", "mix")
            .Build();
        Assert.Equal(["in", "half", "chunked", "mix"], pipeline.Nodes.Select(n => n.Id));
        Assert.Equal(["half", "chunked"], pipeline.Nodes[3].Inputs);
        var output = TestSignals.Floats(pipeline.Run(AudioFormat.F32(16000, 1), TestSignals.Bytes(input)).Output);
        Assert.Equal(input.Length, output.Length);
        for (var i = 0; i < input.Length; i++)
        {
            Assert.Equal(input[i] * 1.5f, output[i], 1e-6f);
        }
    }

    [Fact]
    public void FanInWithDifferentFormatsNamesTheNode()
    {
        using var pipeline = AudioPipeline.CreateBuilder("bad-mix").WithOptions(Options())
            .AddNode("in", "PassThrough")
            .AddNode("i16", "FormatConverterNode", """{"target_format":"i16"}""")
            .AddNode("mix", "PassThrough")
            .Connect("in", "i16").Connect("in", "mix").Connect("i16", "mix")
            .Build();
        var ex = Assert.Throws<RemoteMediaException>(() => pipeline.Run(AudioFormat.F32(16000, 1), new byte[64]));
        Assert.Contains("node 'mix'", ex.Message);
        Assert.Contains("fan-in needs one format", ex.Message);
        Assert.Equal("mix", PipelineErrors.FailingNodeId(ex));
    }

    [Fact]
    public void ManifestWithoutConnectionsIsALinearChain()
    {
        const string json = """
            {"version":"v1","metadata":{"name":"implicit"},
             "nodes":[{"id":"a","node_type":"PassThrough"},{"id":"b","node_type":"AudioBuffer","params":{"buffer_size_samples":10}}]}
            """;
        using var pipeline = AudioPipeline.Parse(json, Options());
        Assert.Equal(["a"], pipeline.Nodes[1].Inputs);
        Assert.Equal(25, pipeline.Run(AudioFormat.F32(8000, 1), new byte[25 * 4]).OutputFrames);
    }

    [Fact]
    public void UserRegisteredKindsWorkInManifests()
    {
        var json = ManifestTests.Single(TestNodes.Gain, """{"gain":2}""");
        using var pipeline = AudioPipeline.Parse(json, Options());
        var output = TestSignals.Floats(pipeline.Run(AudioFormat.F32(8000, 1), TestSignals.Bytes([0.25f, -0.5f])).Output);
        Assert.Equal([0.5f, -1f], output);
    }

    [Fact]
    public void TheHintIsKeptOnEachNodeAndTheOverrideWins()
    {
        const string json = """
            {"version":"v1","metadata":{"name":"hints"},
             "nodes":[{"id":"a","node_type":"FormatConverterNode","runtime_hint":"python"},
                      {"id":"b","node_type":"PassThrough","runtime_hint":"auto"},
                      {"id":"c","node_type":"FormatConverterNode"}]}
            """;
        using (var pipeline = AudioPipeline.Parse(json, Options()))
        {
            Assert.Equal([RuntimeHint.Managed, RuntimeHint.Auto, RuntimeHint.Auto], pipeline.Nodes.Select(n => n.Hint));
            Assert.Equal(NodeRuntime.Managed, pipeline.Nodes[0].Runtime);
            Assert.Null(pipeline.Nodes[0].FallbackReason);
            Assert.NotNull(pipeline.Nodes[1].FallbackReason); // PassThrough is managed-only
            var expected = RemoteMediaRuntime.Status.IsNativeAvailable ? NodeRuntime.Native : NodeRuntime.Managed;
            Assert.Equal(expected, pipeline.Nodes[2].Runtime);
        }
        using var managed = AudioPipeline.Parse(json, Options(RuntimeHint.Managed));
        Assert.All(managed.Nodes, n => Assert.Equal(NodeRuntime.Managed, n.Runtime));
    }

    [Fact]
    public void OneSessionAtATimeAndANewSessionStartsFromReset()
    {
        using var pipeline = AudioPipeline.CreateBuilder("reuse").WithOptions(Options())
            .Then("buf", "AudioBuffer", """{"buffer_size_samples":100}""").Build();
        var format = AudioFormat.F32(8000, 1);
        using (var session = pipeline.OpenSession(format, (_, _, _) => { }))
        {
            session.Push(new byte[50 * 4]); // leaves 50 frames buffered, never finished
            Assert.Throws<InvalidOperationException>(() => pipeline.OpenSession(format, (_, _, _) => { }));
        }
        Assert.Equal(30, pipeline.Run(format, new byte[30 * 4]).OutputFrames);
    }

    [Fact]
    public void NodeEventsReachTheCallbackAndDownstreamConsumers()
    {
        var signal = TestSignals.Segments(16000, (0.5, false), (1.0, true), (1.0, false));
        using var pipeline = AudioPipeline.CreateBuilder("vad").WithOptions(Options())
            .Then("vad", TestNodes.EnergyVad)
            .Then("tap", "PassThrough")
            .Then("utterances", "VADTriggeredBuffer", """{"min_speech_duration_s":0.2,"silence_duration_s":0.3,"pre_speech_buffer_s":0.1}""")
            .Build();
        var result = pipeline.Run(AudioFormat.F32(16000, 1), TestSignals.Bytes(signal));
        Assert.Contains(result.Events, e => e.NodeId == "vad" && e.Event.Kind == NodeEventKind.SpeechStart && e.Event.Frame == 8000);
        Assert.Equal(250, result.Events.Count(e => e.Event.Kind == NodeEventKind.VoiceActivity));
        var utterance = Assert.Single(result.Sinks["utterances"].Blocks);
        // pre-roll 0.1 s + 1.0 s speech + 0.3 s of the silence that ended it.
        Assert.Equal((int)(1.4 * 16000) * 4, utterance.Length);
    }
}
