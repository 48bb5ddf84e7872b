using System.Runtime.InteropServices;

namespace RemoteMedia.Tests.Support;

/// <summary>Deterministic test signals and byte views.</summary>
public static class Samples
{
    public static float[] Noise(int count, int seed, float scale = 1f)
    {
        var random = new Random(seed);
        var samples = new float[count];
        for (var i = 0; i < count; i++)
        {
            samples[i] = (float)((random.NextDouble() * 2) - 1) * scale;
        }
        return samples;
    }

    public static byte[] Bytes<T>(ReadOnlySpan<T> samples)
        where T : unmanaged => MemoryMarshal.AsBytes(samples).ToArray();

    /// <summary>Runs one block through a node into an exactly sized output; returns the output bytes and format.</summary>
    public static (byte[] Bytes, AudioChunk Chunk) Run(INodeExecutor node, AudioFormat format, byte[] input)
    {
        var shape = node.GetOutputShape(format, format.FramesIn(input.Length));
        var output = new byte[Math.Max(shape.MaxBytes, 4)];
        var chunk = node.Process(format, input, output);
        return (output[..chunk.ByteCount], chunk);
    }
}
