using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using RemoteMedia.Pipeline;

namespace RemoteMedia.Benchmarks;

/// <summary>
/// The voice server's per-frame work: one 20 ms Opus-decoded frame (48 kHz i16 mono) through
/// FormatConverterNode -> AudioResampleNode 48k->16k -> VADNode -> VADTriggeredBuffer, as a streaming session.
/// </summary>
[MemoryDiagnoser]
public class VoicePreprocessingBenchmarks
{
    private readonly short[] frame = new short[960];
    private AudioPipeline pipeline = null!;
    private PipelineSession session = null!;

    [Params(RuntimeHint.Native, RuntimeHint.Managed)]
    public RuntimeHint Runtime { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        for (var i = 0; i < frame.Length; i++)
        {
            frame[i] = (short)random.Next(-3000, 3000);
        }
        pipeline = AudioPipeline.CreateBuilder("voice-preprocessing")
            .Then("format", "FormatConverterNode", """{"target_format":"f32","target_channels":1}""")
            .Then("resample", "AudioResampleNode", """{"target_sample_rate":16000,"quality":"high"}""")
            .Then("vad", "VADNode", """{"frame_duration_ms":20}""")
            .Then("utterances", "VADTriggeredBuffer", "{}")
            .WithOptions(new PipelineOptions { RuntimeOverride = Runtime, OutputNodeId = "utterances" })
            .Build();
        session = pipeline.OpenSession(AudioFormat.S16(48000, 1), (_, _, _) => { });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        session.Dispose();
        pipeline.Dispose();
    }

    [Benchmark(Description = "20 ms frame through the voice preprocessing pipeline")]
    public void PushFrame() => session.Push(MemoryMarshal.AsBytes(frame.AsSpan()));
}
