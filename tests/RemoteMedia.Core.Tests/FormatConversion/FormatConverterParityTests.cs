using RemoteMedia.Tests.Support;

namespace RemoteMedia.Tests.FormatConversion;

/// <summary>The managed FormatConverterNode is bit-identical to the native one.</summary>
public class FormatConverterParityTests
{
    public static TheoryData<string, int, int> Conversions()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var target in new[] { "f32", "i16", "i32" })
        {
            for (var channels = 1; channels <= 8; channels++)
            {
                data.Add(target, channels, channels);
                if (channels > 1)
                {
                    data.Add(target, channels, 1);
                }
            }
            data.Add(target, 1, 2);
            data.Add(target, 1, 8);
        }
        return data;
    }

    [NativeTheory]
    [MemberData(nameof(Conversions))]
    public void Every_s16_value_converts_identically(string target, int inChannels, int outChannels)
    {
        var all = new short[65536 + (65536 % inChannels == 0 ? 0 : inChannels - (65536 % inChannels))];
        for (var i = 0; i < 65536; i++)
        {
            all[i] = (short)(i - 32768);
        }
        AssertSameOutput(target, outChannels, AudioFormat.S16(16000, inChannels), Samples.Bytes<short>(all));
    }

    [NativeTheory]
    [MemberData(nameof(Conversions))]
    public void Float_edges_and_noise_convert_identically(string target, int inChannels, int outChannels)
    {
        float[] edges =
        [
            0f, -0f, 1f, -1f, 0.5f, -0.5f, 1.0000001f, -1.0000001f, 2f, -2f, 1e-30f, -1e-30f, float.Epsilon,
            float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, float.MinValue,
            0.5f / 32768f, -0.5f / 32768f, 1.5f / 32768f, -1.5f / 32768f, 32767.5f / 32768f, 0.49999997f / 32768f,
        ];
        var noise = Samples.Noise(977 * inChannels, inChannels, 1.2f);
        var count = (edges.Length + noise.Length) / inChannels * inChannels; // an odd, whole number of frames
        var input = edges.Concat(noise).Take(count).ToArray();
        AssertSameOutput(target, outChannels, AudioFormat.F32(48000, inChannels), Samples.Bytes<float>(input));
    }

    [NativeTheory]
    [MemberData(nameof(Conversions))]
    public void Int32_edges_convert_identically(string target, int inChannels, int outChannels)
    {
        int[] edges = [int.MinValue, int.MaxValue, 0, 1, -1, 32767, 32768, -32769, 65535, 65536, int.MaxValue - 32767, int.MinValue + 32768];
        var random = new Random(7);
        var count = 1001 * inChannels;
        var input = edges.Concat(Enumerable.Range(0, count).Select(_ => random.Next(int.MinValue, int.MaxValue))).Take(count).ToArray();
        AssertSameOutput(target, outChannels, new AudioFormat(8000, inChannels, SampleFormat.S32), Samples.Bytes<int>(input));
    }

    private static void AssertSameOutput(string target, int outChannels, AudioFormat format, byte[] input)
    {
        var config = $$"""{"target_format":"{{target}}","target_channels":{{outChannels}}}""";
        using var native = RemoteMedia.Nodes.Nodes.Create("FormatConverterNode", config, RuntimeHint.Native);
        using var managed = RemoteMedia.Nodes.Nodes.Create("FormatConverterNode", config, RuntimeHint.Managed);
        Assert.Equal(NodeRuntime.Native, native.Runtime);
        Assert.Equal(NodeRuntime.Managed, managed.Runtime);
        var (nativeBytes, nativeChunk) = Samples.Run(native, format, input);
        var (managedBytes, managedChunk) = Samples.Run(managed, format, input);
        Assert.Equal(nativeChunk, managedChunk);
        Assert.Equal(format.FramesIn(input.Length), nativeChunk.Frames);
        Assert.Equal(outChannels, nativeChunk.Format.Channels);
        var firstDifference = nativeBytes.AsSpan().CommonPrefixLength(managedBytes);
        Assert.True(firstDifference == nativeBytes.Length,
            $"outputs differ at byte {firstDifference} of {nativeBytes.Length} ({target}, {format.Channels}->{outChannels})");
    }
}
