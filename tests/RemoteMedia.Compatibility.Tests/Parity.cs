using System.Runtime.InteropServices;
using RemoteMedia.Nodes;

namespace RemoteMedia.Compatibility.Tests;

/// <summary>Runs one node kind over a signal in 20 ms blocks plus a flush, collecting output bytes and events.</summary>
internal static class Parity
{
    public static (AudioFormat Format, byte[] Output, List<NodeEvent> Events) Run(string kind, string config, RuntimeHint hint, AudioFormat format, float[] signal)
    {
        using var node = NodeRegistry.Default.Create(kind, config, hint);
        Assert.Equal(hint == RuntimeHint.Native ? NodeRuntime.Native : NodeRuntime.Managed, node.Runtime);
        var block = format.SampleRate / 50;
        var shape = node.GetOutputShape(format, block);
        var buffer = new byte[Math.Max(shape.MaxBytes, 1)];
        var output = new List<byte>();
        var events = new List<NodeEvent>();
        var scratch = new NodeEvent[256];
        var bytes = MemoryMarshal.AsBytes(signal.AsSpan()).ToArray();
        var blockBytes = block * format.BytesPerFrame;
        AudioFormat outFormat = shape.Format;
        for (var offset = 0; offset < bytes.Length; offset += blockBytes)
        {
            var chunk = node.Process(format, bytes.AsSpan(offset, Math.Min(blockBytes, bytes.Length - offset)), buffer);
            output.AddRange(buffer.AsSpan(0, chunk.ByteCount).ToArray());
            Drain(node, scratch, events);
        }
        var tail = node.Flush(buffer);
        output.AddRange(buffer.AsSpan(0, tail.ByteCount).ToArray());
        Drain(node, scratch, events);
        return (outFormat, output.ToArray(), events);
    }

    private static void Drain(INodeExecutor node, NodeEvent[] scratch, List<NodeEvent> events)
    {
        int n;
        while ((n = node.ReadEvents(scratch)) > 0)
        {
            events.AddRange(scratch.AsSpan(0, n).ToArray());
        }
    }

    /// <summary>Energy of (a - b) relative to the energy of a, in dB (-inf when identical).</summary>
    public static double DifferenceDb(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        double signal = 0, difference = 0;
        for (var i = 0; i < a.Length; i++)
        {
            signal += (double)a[i] * a[i];
            var d = (double)a[i] - b[i];
            difference += d * d;
        }
        return difference == 0 ? double.NegativeInfinity : 10 * Math.Log10(difference / Math.Max(signal, 1e-30));
    }

    /// <summary>Speech-like test audio: a gliding two-tone burst, silence, a burst, over a little noise.</summary>
    public static float[] Signal(int sampleRate, int channels, double seconds = 2.0)
    {
        var frames = (int)(sampleRate * seconds);
        var random = new Random(1234);
        var samples = new float[frames * channels];
        for (var f = 0; f < frames; f++)
        {
            var t = (double)f / sampleRate;
            var on = (t % 1.0) < 0.6;
            var tone = on ? 0.3 * Math.Sin(2 * Math.PI * (200 + (100 * t)) * t) + (0.1 * Math.Sin(2 * Math.PI * 1800 * t)) : 0;
            for (var c = 0; c < channels; c++)
            {
                samples[(f * channels) + c] = (float)(tone + (0.002 * (random.NextDouble() - 0.5)));
            }
        }
        return samples;
    }
}
