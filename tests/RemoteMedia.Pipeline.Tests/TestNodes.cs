using System.Runtime.InteropServices;
using RemoteMedia.Nodes;
using RemoteMedia.Pipeline.Nodes;

namespace RemoteMedia.Pipeline.Tests;

/// <summary>Node kinds that exist only for tests, registered in a private registry.</summary>
internal static class TestNodes
{
    public const string Throwing = "TestThrowing";
    public const string EnergyVad = "TestEnergyVAD";
    public const string Gain = "TestGain";

    public static NodeRegistry Registry()
    {
        var registry = NodeRegistry.CreateWithBuiltIns();
        PipelineNodeKinds.RegisterTo(registry);
        registry.Register(Throwing, c => new ThrowingNode(c));
        registry.Register(EnergyVad, c => new EnergyVadNode(c));
        registry.Register(Gain, c => new GainNode(c));
        return registry;
    }

    /// <summary>Passes audio through and throws on call number <c>fail_on_call</c> (1-based).</summary>
    private sealed class ThrowingNode : INodeExecutor
    {
        private readonly long failOnCall;
        private long calls;

        public ThrowingNode(string? config)
        {
            var p = NodeParams.Parse(Throwing, config);
            failOnCall = p.Int("fail_on_call", 1, long.MaxValue, 3);
            p.Finish();
        }

        public string Kind => Throwing;

        public NodeRuntime Runtime => NodeRuntime.Managed;

        public double LatencyFrames => 0;

        public OutputShape GetOutputShape(AudioFormat input, int inputFrames) => new(input, inputFrames);

        public AudioChunk Process(AudioFormat format, ReadOnlySpan<byte> input, Span<byte> output)
        {
            if (++calls == failOnCall)
            {
                throw new InvalidOperationException($"simulated failure on call {calls}");
            }
            input.CopyTo(output);
            return new AudioChunk(format.FramesIn(input.Length), format);
        }

        public AudioChunk Flush(Span<byte> output) => default;

        public void Reset() => calls = 0;

        public int ReadEvents(Span<NodeEvent> events) => 0;

        public void Dispose()
        {
        }
    }

    /// <summary>
    /// A stand-in for VADNode with its event contract: 10 ms analysis frames of mono f32, VoiceActivity per frame
    /// (1 when RMS > 0.05), SpeechStart/SpeechEnd on changes; the audio passes through.
    /// </summary>
    private sealed class EnergyVadNode : INodeExecutor
    {
        private readonly Queue<NodeEvent> pending = new();
        private readonly List<float> partial = [];
        private long frame;
        private bool speaking;

        public EnergyVadNode(string? config) => NodeParams.Parse(EnergyVad, config).Finish();

        public string Kind => EnergyVad;

        public NodeRuntime Runtime => NodeRuntime.Managed;

        public double LatencyFrames => 0;

        public OutputShape GetOutputShape(AudioFormat input, int inputFrames) => new(input, inputFrames);

        public AudioChunk Process(AudioFormat format, ReadOnlySpan<byte> input, Span<byte> output)
        {
            var analysis = format.SampleRate / 100;
            foreach (var sample in MemoryMarshal.Cast<byte, float>(input))
            {
                partial.Add(sample);
                if (partial.Count == analysis)
                {
                    var rms = Math.Sqrt(partial.Average(s => s * s));
                    var speech = rms > 0.05;
                    var start = frame;
                    pending.Enqueue(new NodeEvent(NodeEventKind.VoiceActivity, start, speech ? 1 : 0));
                    if (speech != speaking)
                    {
                        pending.Enqueue(new NodeEvent(speech ? NodeEventKind.SpeechStart : NodeEventKind.SpeechEnd, start, 0));
                        speaking = speech;
                    }
                    frame += analysis;
                    partial.Clear();
                }
            }
            input.CopyTo(output);
            return new AudioChunk(format.FramesIn(input.Length), format);
        }

        public AudioChunk Flush(Span<byte> output) => default;

        public void Reset()
        {
            pending.Clear();
            partial.Clear();
            frame = 0;
            speaking = false;
        }

        public int ReadEvents(Span<NodeEvent> events)
        {
            var n = 0;
            while (n < events.Length && pending.TryDequeue(out var e))
            {
                events[n++] = e;
            }
            return n;
        }

        public void Dispose()
        {
        }
    }

    /// <summary>Multiplies f32 samples by <c>gain</c>.</summary>
    private sealed class GainNode : INodeExecutor
    {
        private readonly float gain;

        public GainNode(string? config)
        {
            var p = NodeParams.Parse(Gain, config);
            gain = (float)p.Number("gain", -100, 100, 1);
            p.Finish();
        }

        public string Kind => Gain;

        public NodeRuntime Runtime => NodeRuntime.Managed;

        public double LatencyFrames => 0;

        public OutputShape GetOutputShape(AudioFormat input, int inputFrames) => new(input, inputFrames);

        public AudioChunk Process(AudioFormat format, ReadOnlySpan<byte> input, Span<byte> output)
        {
            var src = MemoryMarshal.Cast<byte, float>(input);
            var dst = MemoryMarshal.Cast<byte, float>(output);
            for (var i = 0; i < src.Length; i++)
            {
                dst[i] = src[i] * gain;
            }
            return new AudioChunk(format.FramesIn(input.Length), format);
        }

        public AudioChunk Flush(Span<byte> output) => default;

        public void Reset()
        {
        }

        public int ReadEvents(Span<NodeEvent> events) => 0;

        public void Dispose()
        {
        }
    }
}
