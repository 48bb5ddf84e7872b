using System.Runtime.InteropServices;
using RemoteMedia.Quality;

namespace RemoteMedia.Tests.Resample;

/// <summary>Issue 4 "Bad input": each case gets the right error code and message, and the node stays usable.</summary>
public sealed class ResampleBadInputTests
{
    private static RemoteMediaException Fails(Action action) => Assert.Throws<RemoteMediaException>(action);

    [Fact]
    public void Bad_input_gets_the_right_error_and_the_node_stays_usable()
    {
        var input = SignalQuality.Noise(960, 5);
        var bytes = MemoryMarshal.AsBytes(input.AsSpan()).ToArray();
        foreach (var runtime in ResampleTestKit.Runtimes())
        {
            using var node = ResampleTestKit.Create(runtime);
            var buffer = new byte[1 << 16];
            var e = Fails(() => node.Process(AudioFormat.S16(48000, 1), new byte[960], buffer));
            Assert.Equal(ErrorCode.UnsupportedFormat, e.ErrorCode);
            Assert.Contains("FormatConverterNode", e.Message);
            foreach (var rate in new[] { 0, -1, 384_001 })
            {
                Assert.Equal(ErrorCode.InvalidArgument, Fails(() => node.Process(new AudioFormat(rate, 1, SampleFormat.F32), bytes, buffer)).ErrorCode);
            }
            foreach (var channels in new[] { 0, 65 })
            {
                Assert.Equal(ErrorCode.InvalidArgument, Fails(() => node.Process(new AudioFormat(48000, channels, SampleFormat.F32), new byte[65 * 4 * 10], buffer)).ErrorCode);
            }
            Assert.Equal(ErrorCode.BufferTooSmall, Fails(() => node.Process(AudioFormat.F32(48000, 1), bytes, new byte[8])).ErrorCode);
            Assert.Equal(0, node.Process(AudioFormat.F32(48000, 1), ReadOnlySpan<byte>.Empty, buffer).Frames);
            // The failed calls left no trace: the stream equals a fresh one.
            var retry = ResampleTestKit.Run(node, input, 1, 48000, _ => 960);
            Assert.Equal(ResampleTestKit.Whole(runtime, input, 1, 48000), retry);

            node.Process(AudioFormat.F32(48000, 1), bytes, buffer);
            e = Fails(() => node.Process(AudioFormat.F32(44100, 1), bytes, buffer));
            Assert.Equal(ErrorCode.StreamMismatch, e.ErrorCode);
            Assert.Contains("48000", e.Message);
            Assert.Contains("44100", e.Message);
            Assert.Equal(ErrorCode.StreamMismatch, Fails(() => node.Process(AudioFormat.F32(48000, 2), bytes, buffer)).ErrorCode);
            node.Process(AudioFormat.F32(48000, 1), bytes, buffer);

            Assert.Empty(ResampleTestKit.Whole(runtime, [0.5f], 1, 48000));
            Assert.Single(ResampleTestKit.Whole(runtime, [0.5f, 0.5f], 1, 48000));
            Assert.Equal(ErrorCode.InvalidConfig, Fails(() => ResampleTestKit.Create(runtime, 16000, "best")).ErrorCode);
            Assert.Contains("target_sample_rate", Fails(() => ResampleTestKit.Create(runtime, 0)).Message);
        }
    }

    [Fact]
    public void Nan_and_infinity_only_spoil_the_outputs_whose_window_covers_them()
    {
        var input = Enumerable.Repeat(0.25f, 48000).ToArray();
        input[24000] = float.NaN;
        input[30000] = float.PositiveInfinity;
        foreach (var runtime in ResampleTestKit.Runtimes())
        {
            var output = ResampleTestKit.Whole(runtime, input, 1, 48000);
            var bad = Enumerable.Range(0, output.Length).Where(i => !float.IsFinite(output[i])).ToList();
            Assert.NotEmpty(bad);
            Assert.All(bad, i => Assert.True(i is (>= 7900 and < 8100) or (>= 9900 and < 10100), $"{runtime}: output {i} not finite"));
        }
    }
}
