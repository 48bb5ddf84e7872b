using RemoteMedia.Quality;

namespace RemoteMedia.Tests.Resample;

/// <summary>Issue 4 items 1-2: chunking invariance, output length, every rate pair, reset, latency.</summary>
public sealed class ResampleStreamingTests
{
    private static readonly int[] Rates = [8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000, 96000];

    [Theory]
    [InlineData(48000, 2)]
    [InlineData(44100, 1)]
    [InlineData(8000, 3)]
    public void Any_chunking_gives_bit_identical_output(int rate, int channels)
    {
        var input = SignalQuality.Noise(rate / 2 * channels, 7);
        foreach (var runtime in ResampleTestKit.Runtimes())
        {
            var whole = ResampleTestKit.Whole(runtime, input, channels, rate);
            var random = new Random(12345);
            var chunkings = new (string Name, Func<int, int> Size)[]
            {
                ("1 frame", _ => 1),
                ("7 frames", _ => 7),
                ("20 ms", _ => rate / 50),
                ("random", _ => random.Next(0, 3000)),
            };
            foreach (var (name, size) in chunkings)
            {
                using var node = ResampleTestKit.Create(runtime);
                var chunked = ResampleTestKit.Run(node, input, channels, rate, size);
                Assert.Equal(whole.Length, chunked.Length);
                for (var i = 0; i < whole.Length; i++)
                {
                    if (BitConverter.SingleToInt32Bits(whole[i]) != BitConverter.SingleToInt32Bits(chunked[i]))
                    {
                        Assert.Fail($"{runtime} {rate} Hz x{channels}, {name}: sample {i} differs ({whole[i]} vs {chunked[i]})");
                    }
                }
            }
        }
    }

    [Fact]
    public void Output_length_is_rounded_ratio_for_every_rate_pair_and_tones_pass_at_unity_gain()
    {
        foreach (var runtime in ResampleTestKit.Runtimes())
        {
            foreach (var from in Rates)
            {
                foreach (var to in Rates)
                {
                    foreach (var frames in new[] { 1, 999 })
                    {
                        var input = SignalQuality.Noise(frames, 3);
                        var output = ResampleTestKit.Whole(runtime, input, 1, from, to, "low");
                        Assert.Equal((int)(((long)frames * to * 2 + from) / (2L * from)), output.Length);
                        if (from == to)
                        {
                            Assert.Equal(input, output);
                        }
                    }
                    var tone = ResampleTestKit.Whole(runtime, SignalQuality.Sine(from, 440, 1.2), 1, from, to, "medium");
                    var (thdn, gain) = SignalQuality.SineFit(SignalQuality.Middle(tone, to, 0.1), to, 440);
                    Assert.True(Math.Abs(gain) < 0.01 && thdn < -100, $"{runtime} {from} -> {to}: gain {gain:F4} dB, THD+N {thdn:F1} dB");
                }
            }
        }
    }

    [Fact]
    public void Reset_starts_a_new_stream_and_allows_a_new_rate()
    {
        var input = SignalQuality.Noise(4800 * 2, 9);
        foreach (var runtime in ResampleTestKit.Runtimes())
        {
            using var node = ResampleTestKit.Create(runtime);
            var first = ResampleTestKit.Run(node, input, 2, 48000, _ => 960);
            var buffer = new byte[1 << 16];
            node.Process(AudioFormat.F32(48000, 2), System.Runtime.InteropServices.MemoryMarshal.AsBytes(input.AsSpan(0, 2000)), buffer);
            node.Reset();
            var second = ResampleTestKit.Run(node, input, 2, 48000, _ => 333);
            Assert.Equal(first, second);
            var other = ResampleTestKit.Run(node, SignalQuality.Noise(441 * 2, 1), 2, 44100, _ => 441);
            Assert.Equal(160 * 2, other.Length);
        }
    }

    [Fact]
    public void Latency_is_reported_and_output_is_time_aligned()
    {
        foreach (var runtime in ResampleTestKit.Runtimes())
        {
            using var node = ResampleTestKit.Create(runtime);
            var buffer = new byte[1 << 16];
            var written = node.Process(AudioFormat.F32(48000, 1),
                System.Runtime.InteropServices.MemoryMarshal.AsBytes(SignalQuality.Noise(4800, 2).AsSpan()), buffer);
            Assert.Equal(40.0, node.LatencyFrames);
            Assert.True(Math.Abs(written.Frames + node.LatencyFrames - 1600) <= 1, $"{runtime}: {written.Frames} frames out");
            var impulse = new float[4800];
            impulse[3000] = 1;
            var output = ResampleTestKit.Whole(runtime, impulse, 1, 48000);
            Assert.Equal(1000, Array.IndexOf(output, output.Max()));
        }
    }

    [Fact]
    public void Streaming_does_not_allocate_after_the_first_block()
    {
        foreach (var runtime in ResampleTestKit.Runtimes())
        {
            foreach (var (rate, channels) in new[] { (48000, 2), (44100, 1) })
            {
                using var node = ResampleTestKit.Create(runtime);
                var format = AudioFormat.F32(rate, channels);
                var input = SignalQuality.Noise(rate * channels, 4);
                var frameBytes = rate / 50 * channels * sizeof(float);
                var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(input.AsSpan()).ToArray();
                var output = new byte[1 << 16];
                node.Process(format, bytes.AsSpan(0, frameBytes), output);
                var before = GC.GetAllocatedBytesForCurrentThread();
                for (var f = 1; f < 50; f++)
                {
                    node.Process(format, bytes.AsSpan(f * frameBytes, frameBytes), output);
                }
                var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                Assert.True(allocated == 0, $"{runtime} {rate} Hz: {allocated} bytes allocated while streaming");
            }
        }
    }
}
