using System.Runtime.InteropServices;

namespace RemoteMedia.Pipeline.Tests;

/// <summary>Deterministic test audio.</summary>
internal static class TestSignals
{
    public static float[] Sine(int frames, int channels, int sampleRate, double hz = 440, double amplitude = 0.5)
    {
        var samples = new float[frames * channels];
        for (var f = 0; f < frames; f++)
        {
            for (var c = 0; c < channels; c++)
            {
                samples[(f * channels) + c] = (float)(amplitude * Math.Sin(2 * Math.PI * hz * f / sampleRate) * (c + 1) / channels);
            }
        }
        return samples;
    }

    /// <summary>Tone where <paramref name="speech"/> says so, silence elsewhere; each segment is (seconds, isTone).</summary>
    public static float[] Segments(int sampleRate, params (double Seconds, bool Tone)[] segments)
    {
        var result = new List<float>();
        foreach (var (seconds, tone) in segments)
        {
            var frames = (int)Math.Round(seconds * sampleRate);
            result.AddRange(tone ? Sine(frames, 1, sampleRate, 300, 0.5) : new float[frames]);
        }
        return result.ToArray();
    }

    public static byte[] Bytes(float[] samples) => MemoryMarshal.AsBytes(samples.AsSpan()).ToArray();

    public static float[] Floats(byte[] bytes) => MemoryMarshal.Cast<byte, float>(bytes.AsSpan()).ToArray();

    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "rm-pipeline-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
