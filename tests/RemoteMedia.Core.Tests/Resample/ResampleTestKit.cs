using System.Runtime.InteropServices;
using RemoteMedia.Nodes;

namespace RemoteMedia.Tests.Resample;

/// <summary>Creating resampler nodes on each available runtime and streaming signals through them.</summary>
internal static class ResampleTestKit
{
    public const string Kind = "AudioResampleNode";

    /// <summary>Managed always; native only when the library loaded (not in the REMOTEMEDIA_DISABLE_NATIVE=1 leg).</summary>
    public static IEnumerable<RuntimeHint> Runtimes()
    {
        yield return RuntimeHint.Managed;
        if (RemoteMediaRuntime.Status.IsNativeAvailable)
        {
            yield return RuntimeHint.Native;
        }
    }

    public static bool NativeAvailable => RemoteMediaRuntime.Status.IsNativeAvailable;

    public static INodeExecutor Create(RuntimeHint runtime, int targetRate = 16000, string quality = "high") =>
        NodeRegistry.Default.Create(Kind, $$"""{"target_sample_rate":{{targetRate}},"quality":"{{quality}}"}""", runtime);

    /// <summary>Feeds <paramref name="input"/> in blocks sized by <paramref name="chunk"/>, then flushes; returns every output sample.</summary>
    public static float[] Run(INodeExecutor node, float[] input, int channels, int rate, Func<int, int> chunk)
    {
        var format = AudioFormat.F32(rate, channels);
        var frames = input.Length / channels;
        var result = new List<float>(frames);
        var buffer = new byte[node.GetOutputShape(format, Math.Max(frames, 1)).MaxBytes];
        var at = 0;
        for (var call = 0; at < frames; call++)
        {
            var n = Math.Clamp(chunk(call), 1, frames - at);
            var block = MemoryMarshal.AsBytes(input.AsSpan(at * channels, n * channels));
            var written = node.Process(format, block, buffer);
            result.AddRange(MemoryMarshal.Cast<byte, float>(buffer.AsSpan(0, written.ByteCount)));
            at += n;
        }
        var tail = node.Flush(buffer);
        result.AddRange(MemoryMarshal.Cast<byte, float>(buffer.AsSpan(0, tail.ByteCount)));
        return result.ToArray();
    }

    public static float[] Whole(RuntimeHint runtime, float[] input, int channels, int rate, int targetRate = 16000, string quality = "high")
    {
        using var node = Create(runtime, targetRate, quality);
        return Run(node, input, channels, rate, _ => int.MaxValue);
    }
}
