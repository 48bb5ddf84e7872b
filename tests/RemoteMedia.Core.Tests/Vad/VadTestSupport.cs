using System.Runtime.InteropServices;
using RemoteMedia.Nodes.Managed.Vad;
using RemoteMedia.Tests.Vad.Corpus;

namespace RemoteMedia.Tests.Vad;

/// <summary>A fact that needs the native library: skipped (not failed) when it is unavailable, e.g. with REMOTEMEDIA_DISABLE_NATIVE=1.</summary>
public sealed class NativeFactAttribute : FactAttribute
{
    public NativeFactAttribute()
    {
        if (!RemoteMediaRuntime.Status.IsNativeAvailable)
        {
            Skip = $"native runtime unavailable: {RemoteMediaRuntime.Status.Description}";
        }
    }
}

/// <summary>Runs a VADNode over interleaved f32 audio and records everything it reports.</summary>
internal sealed record VadRun(List<NodeEvent> Events, float[] Output, IVadStatistics Statistics)
{
    public List<bool> Decisions => Events.Where(e => e.Kind == NodeEventKind.VoiceActivity).Select(e => e.Value == 1.0).ToList();

    public static VadRun Of(string config, RuntimeHint hint, float[] samples, int channels, int rate, int chunkFrames)
    {
        using var node = VadRunner.Create(config, hint);
        return Of(node, samples, channels, rate, chunkFrames);
    }

    public static VadRun Of(INodeExecutor node, float[] samples, int channels, int rate, int chunkFrames)
    {
        var events = new List<NodeEvent>();
        var output = new List<float>();
        var buffer = new float[(chunkFrames + rate / 10) * channels];
        var slots = new NodeEvent[5];
        for (var offset = 0; offset < samples.Length; offset += chunkFrames * channels)
        {
            var block = samples.AsSpan(offset, Math.Min(chunkFrames * channels, samples.Length - offset));
            var written = node.Process(block, channels, rate, buffer.AsSpan());
            output.AddRange(buffer.AsSpan(0, written));
            Drain(node, slots, events);
        }
        var tail = node.Flush(MemoryMarshal.AsBytes(buffer.AsSpan()));
        output.AddRange(buffer.AsSpan(0, tail.SampleCount));
        Drain(node, slots, events);
        return new VadRun(events, output.ToArray(), VadStatistics.Read(node));
    }

    private static void Drain(INodeExecutor node, NodeEvent[] slots, List<NodeEvent> events)
    {
        int count;
        do
        {
            count = node.ReadEvents(slots);
            events.AddRange(slots.AsSpan(0, count));
        }
        while (count == slots.Length);
    }
}

/// <summary>Deterministic synthetic signals for tests that must not depend on espeak-ng.</summary>
internal static class Signals
{
    public static float[] Constant(int length, float value) => Enumerable.Repeat(value, length).ToArray();

    public static float[] Concat(params float[][] parts) => parts.SelectMany(p => p).ToArray();

    public static float[] White(int length, double rms, ulong seed) => NoiseSources.White(length, seed).Select(x => (float)(x * rms)).ToArray();

    /// <summary>A crude voiced sound: 20 harmonics of a gliding 120-180 Hz pitch with a 4 Hz syllable envelope.</summary>
    public static float[] Vowels(int length, int rate, double amplitude)
    {
        var output = new float[length];
        var phase = 0.0;
        for (var i = 0; i < length; i++)
        {
            var t = (double)i / rate;
            phase += 2 * Math.PI * (150 + 30 * Math.Sin(2 * Math.PI * 0.7 * t)) / rate;
            var sum = 0.0;
            for (var h = 1; h <= 20; h++)
            {
                sum += Math.Sin(h * phase) / h;
            }
            output[i] = (float)(sum * (0.6 + 0.4 * Math.Sin(2 * Math.PI * 4 * t)) * 0.4 * amplitude);
        }
        return output;
    }

    public static float[] Add(float[] a, float[] b) => a.Zip(b, (x, y) => x + y).ToArray();

    /// <summary>Interleaves mono channels into one multi-channel buffer.</summary>
    public static float[] Interleave(params float[][] channels)
    {
        var frames = channels[0].Length;
        var output = new float[frames * channels.Length];
        for (var f = 0; f < frames; f++)
        {
            for (var c = 0; c < channels.Length; c++)
            {
                output[f * channels.Length + c] = channels[c][f];
            }
        }
        return output;
    }
}

/// <summary>The reduced corpus for tests: built once per test run (espeak-ng required).</summary>
internal static class TestCorpus
{
    private static readonly Lazy<List<VadClip>> LazyClips = new(() => VadCorpus.Build(2, 16000, VadCorpus.Noises, [10, 0]));

    public static List<VadClip> Clips => LazyClips.Value;
}
