using System.Runtime.InteropServices;
using RemoteMedia.Tests.Support;

namespace RemoteMedia.Tests.FormatConversion;

/// <summary>FormatConverterNode semantics, checked against hand-computed values on every available runtime.</summary>
public class FormatConverterTests
{
    private static INodeExecutor Create(RuntimeHint runtime, string config) =>
        RemoteMedia.Nodes.Nodes.Create("FormatConverterNode", config, runtime);

    [Theory]
    [MemberData(nameof(Runtimes.Available), MemberType = typeof(Runtimes))]
    public void Float_to_i16_scales_rounds_clamps_and_zeroes_nan(RuntimeHint runtime)
    {
        using var node = Create(runtime, """{"target_format":"i16"}""");
        float[] input = [0f, 0.5f, -0.5f, 1f, -1f, 2f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0.5f / 32768f, -0.5f / 32768f];
        var (bytes, chunk) = Samples.Run(node, AudioFormat.F32(44100, 1), Samples.Bytes<float>(input));
        Assert.Equal(AudioFormat.S16(44100, 1), chunk.Format);
        Assert.Equal(new short[] { 0, 16384, -16384, 32767, -32768, 32767, 0, 32767, -32768, 1, -1 }, MemoryMarshal.Cast<byte, short>(bytes).ToArray());
    }

    [Theory]
    [MemberData(nameof(Runtimes.Available), MemberType = typeof(Runtimes))]
    public void Integers_scale_by_2_to_15_and_2_to_31(RuntimeHint runtime)
    {
        using var toFloat = Create(runtime, """{"target_format":"f32"}""");
        var (bytes, _) = Samples.Run(toFloat, AudioFormat.S16(8000, 1), Samples.Bytes<short>([short.MinValue, 16384, short.MaxValue]));
        Assert.Equal(new[] { -1f, 0.5f, 32767f / 32768f }, MemoryMarshal.Cast<byte, float>(bytes).ToArray());

        using var toInt32 = Create(runtime, """{"target_format":"i32"}""");
        (bytes, _) = Samples.Run(toInt32, AudioFormat.S16(8000, 1), Samples.Bytes<short>([short.MinValue, 1, short.MaxValue]));
        Assert.Equal(new[] { int.MinValue, 65536, 32767 * 65536 }, MemoryMarshal.Cast<byte, int>(bytes).ToArray());

        using var toInt16 = Create(runtime, """{"target_format":"i16"}""");
        (bytes, _) = Samples.Run(toInt16, new AudioFormat(8000, 1, SampleFormat.S32), Samples.Bytes<int>([int.MaxValue, 32768, 32767, -32768, -32769]));
        Assert.Equal(new short[] { 32767, 1, 0, -1, -1 }, MemoryMarshal.Cast<byte, short>(bytes).ToArray());
    }

    [Theory]
    [MemberData(nameof(Runtimes.Available), MemberType = typeof(Runtimes))]
    public void Downmix_averages_and_upmix_copies(RuntimeHint runtime)
    {
        using var down = Create(runtime, """{"target_format":"f32","target_channels":1}""");
        var (bytes, chunk) = Samples.Run(down, AudioFormat.F32(48000, 3), Samples.Bytes<float>([0.3f, 0.6f, 0.9f, -1f, 1f, 0.25f]));
        Assert.Equal(1, chunk.Format.Channels);
        Assert.Equal(new[] { (float)((0.3f + (double)0.6f + 0.9f) / 3), (float)(0.25 / 3) }, MemoryMarshal.Cast<byte, float>(bytes).ToArray());

        using var up = Create(runtime, """{"target_channels":4}""");
        (bytes, chunk) = Samples.Run(up, AudioFormat.S16(16000, 1), Samples.Bytes<short>([100, -200]));
        Assert.Equal(AudioFormat.F32(16000, 4), chunk.Format); // target_format defaults to f32
        float a = 100 / 32768f, b = -200 / 32768f;
        Assert.Equal(new[] { a, a, a, a, b, b, b, b }, MemoryMarshal.Cast<byte, float>(bytes).ToArray());
    }

    public static TheoryData<RuntimeHint, string, string> BadConfigs()
    {
        var data = new TheoryData<RuntimeHint, string, string>();
        foreach (var hint in Runtimes.AvailableHints())
        {
            data.Add(hint, """{"target_format":"u8"}""", "target_format");
            data.Add(hint, """{"target_format":16}""", "target_format");
            data.Add(hint, """{"target_channels":0}""", "target_channels");
            data.Add(hint, """{"target_channels":1.5}""", "target_channels");
            data.Add(hint, """{"target_channels":"2"}""", "target_channels");
            data.Add(hint, """{"targetformat":"f32"}""", "targetformat");
            data.Add(hint, """{"target_format":"f32",}""", "line 1");
            data.Add(hint, """[1,2]""", "JSON object");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(BadConfigs))]
    public void Bad_configs_fail_with_invalid_config_naming_the_problem(RuntimeHint runtime, string config, string mentioned)
    {
        var ex = Assert.Throws<RemoteMediaException>(() => Create(runtime, config));
        Assert.Equal(ErrorCode.InvalidConfig, ex.ErrorCode);
        Assert.Contains(mentioned, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Runtimes.Available), MemberType = typeof(Runtimes))]
    public void Unknown_kind_fails_with_its_name(RuntimeHint runtime)
    {
        var ex = Assert.Throws<RemoteMediaException>(() => RemoteMedia.Nodes.Nodes.Create("NoSuchNode", "{}", runtime));
        Assert.Equal(ErrorCode.UnknownNodeKind, ex.ErrorCode);
        Assert.Contains("NoSuchNode", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Runtimes.Available), MemberType = typeof(Runtimes))]
    public void Bad_buffers_fail_clearly_and_leave_the_node_usable(RuntimeHint runtime)
    {
        using var node = Create(runtime, """{"target_format":"i32","target_channels":1}""");
        var stereo = AudioFormat.F32(48000, 2);
        var input = Samples.Bytes<float>([0.5f, 0.5f, -0.5f, -0.5f]);

        var tooSmall = Assert.Throws<RemoteMediaException>(() => node.Process(stereo, input, new byte[4]));
        Assert.Equal(ErrorCode.BufferTooSmall, tooSmall.ErrorCode);
        Assert.Contains("buffer holds 4 bytes", tooSmall.Message, StringComparison.Ordinal);

        var partialFrame = Assert.Throws<RemoteMediaException>(() => node.Process(stereo, input.AsSpan(0, 6), new byte[64]));
        Assert.Equal(ErrorCode.InvalidArgument, partialFrame.ErrorCode);

        var noChannels = Assert.Throws<RemoteMediaException>(() => node.Process(AudioFormat.F32(48000, 0), input, new byte[64]));
        Assert.Contains("channel count", noChannels.Message, StringComparison.Ordinal);
        var tooManyChannels = Assert.Throws<RemoteMediaException>(() => node.Process(AudioFormat.F32(48000, 65), [], new byte[64]));
        Assert.Equal(ErrorCode.InvalidArgument, tooManyChannels.ErrorCode);
        var noRate = Assert.Throws<RemoteMediaException>(() => node.Process(AudioFormat.F32(0, 2), input, new byte[64]));
        Assert.Contains("sample rate", noRate.Message, StringComparison.Ordinal);
        var badFormat = Assert.Throws<RemoteMediaException>(() => node.Process(new AudioFormat(48000, 2, (SampleFormat)9), input, new byte[64]));
        Assert.Equal(ErrorCode.InvalidArgument, badFormat.ErrorCode);

        var empty = node.Process(stereo, [], []);
        Assert.Equal(0, empty.Frames);

        var output = new byte[8];
        var chunk = node.Process(stereo, input, output);
        Assert.Equal(2, chunk.Frames);
        Assert.Equal(new[] { 1 << 30, -(1 << 30) }, MemoryMarshal.Cast<byte, int>(output).ToArray());
    }

    [Theory]
    [MemberData(nameof(Runtimes.Available), MemberType = typeof(Runtimes))]
    public void Unsupported_channel_maps_are_rejected(RuntimeHint runtime)
    {
        using var node = Create(runtime, """{"target_channels":2}""");
        var ex = Assert.Throws<RemoteMediaException>(() => node.GetOutputShape(AudioFormat.F32(48000, 3), 10));
        Assert.Equal(ErrorCode.UnsupportedFormat, ex.ErrorCode);
        Assert.Contains("3 channels to 2", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Runtimes.Available), MemberType = typeof(Runtimes))]
    public void Output_shape_sizes_the_output_exactly(RuntimeHint runtime)
    {
        using var node = Create(runtime, """{"target_format":"i16","target_channels":1}""");
        var shape = node.GetOutputShape(AudioFormat.F32(48000, 2), 960);
        Assert.Equal(new OutputShape(AudioFormat.S16(48000, 1), 960), shape);
        Assert.Equal(0, node.LatencyFrames);
        Assert.Equal(0, node.Flush(new byte[16]).Frames);
    }
}
