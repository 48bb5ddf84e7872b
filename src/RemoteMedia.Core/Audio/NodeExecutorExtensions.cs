using System.Runtime.InteropServices;

namespace RemoteMedia;

/// <summary>Typed conveniences over the byte-level <see cref="INodeExecutor"/> calls.</summary>
public static class NodeExecutorExtensions
{
    /// <summary>Processes interleaved f32 samples.</summary>
    public static AudioChunk Process(this INodeExecutor node, ReadOnlySpan<float> input, int channels, int sampleRate, Span<byte> output) =>
        node.Process(AudioFormat.F32(sampleRate, channels), MemoryMarshal.AsBytes(input), output);

    /// <summary>Processes interleaved f32 samples into an f32 output; returns the samples written.</summary>
    public static int Process(this INodeExecutor node, ReadOnlySpan<float> input, int channels, int sampleRate, Span<float> output)
    {
        var chunk = node.Process(AudioFormat.F32(sampleRate, channels), MemoryMarshal.AsBytes(input), MemoryMarshal.AsBytes(output));
        return chunk.SampleCount;
    }

    /// <summary>Processes interleaved 16-bit samples.</summary>
    public static AudioChunk Process(this INodeExecutor node, ReadOnlySpan<short> input, int channels, int sampleRate, Span<byte> output) =>
        node.Process(AudioFormat.S16(sampleRate, channels), MemoryMarshal.AsBytes(input), output);
}
