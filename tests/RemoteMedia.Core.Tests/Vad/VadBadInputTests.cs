using System.Runtime.InteropServices;
using RemoteMedia.Nodes.Managed.Vad;
using RemoteMedia.Tests.Vad.Corpus;

namespace RemoteMedia.Tests.Vad;

/// <summary>Bad configuration and bad input fail with a clear error, never a crash, and leave the node usable.</summary>
public sealed class VadBadInputTests
{
    public static TheoryData<string, string> BadConfigs => new()
    {
        { """{"mode":"loud"}""", "mode" },
        { """{"frame_duration_ms":15}""", "frame_duration_ms" },
        { """{"frame_duration_ms":40}""", "frame_duration_ms" },
        { """{"aggressiveness":4}""", "aggressiveness" },
        { """{"aggressiveness":1.5}""", "aggressiveness" },
        { """{"energy_threshold":"high"}""", "energy_threshold" },
        { """{"energy_threshold":-0.1}""", "energy_threshold" },
        { """{"hangover_ms":-1}""", "hangover_ms" },
        { """{"gate_audio":1}""", "gate_audio" },
        { """{"threshold":0.1}""", "threshold" },
        { """[1,2]""", "JSON object" },
        { """{"mode":""", "VADNode config" },
    };

    [Theory]
    [MemberData(nameof(BadConfigs))]
    public void Bad_config_names_the_key_managed(string config, string key) => BadConfig(config, key, RuntimeHint.Managed);

    [NativeFact]
    public void Bad_config_names_the_key_native()
    {
        foreach (var row in BadConfigs)
        {
            BadConfig((string)row[0], (string)row[1], RuntimeHint.Native);
        }
    }

    [Fact]
    public void Bad_input_is_rejected_and_the_node_stays_usable_managed() => BadInput(RuntimeHint.Managed);

    [NativeFact]
    public void Bad_input_is_rejected_and_the_node_stays_usable_native() => BadInput(RuntimeHint.Native);

    [Fact]
    public void Statistics_are_only_read_from_a_vad_node()
    {
        using var converter = RemoteMedia.Nodes.NodeRegistry.Default.Create("FormatConverterNode", null, RuntimeHint.Managed);
        Assert.Equal(ErrorCode.NotSupported, Assert.Throws<RemoteMediaException>(() => VadStatistics.Read(converter)).ErrorCode);
    }

    [Fact]
    public void Gating_sizes_the_output_for_one_waiting_frame()
    {
        using var node = VadRunner.Create("""{"gate_audio":true,"frame_duration_ms":20}""", RuntimeHint.Auto);
        Assert.Equal(1000 + 960, node.GetOutputShape(AudioFormat.F32(48000, 2), 1000).MaxFrames);
    }

    private static void BadConfig(string config, string key, RuntimeHint hint)
    {
        var error = Assert.Throws<RemoteMediaException>(() => VadRunner.Create(config, hint).Dispose());
        Assert.Equal(ErrorCode.InvalidConfig, error.ErrorCode);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    private static void BadInput(RuntimeHint hint)
    {
        using var node = VadRunner.Create("""{"frame_duration_ms":10}""", hint);
        var output = new float[4096];

        var rate = Assert.Throws<RemoteMediaException>(() => node.Process(new float[441], 1, 44100, output.AsSpan()));
        Assert.Equal(ErrorCode.UnsupportedFormat, rate.ErrorCode);
        Assert.Contains("44100", rate.Message, StringComparison.Ordinal);

        var format = Assert.Throws<RemoteMediaException>(() => node.Process(new short[160], 1, 16000, MemoryMarshal.AsBytes(output.AsSpan())));
        Assert.Equal(ErrorCode.UnsupportedFormat, format.ErrorCode);
        Assert.Contains("f32", format.Message, StringComparison.Ordinal);

        var block = new float[100];
        block[42] = float.NaN;
        var nan = Assert.Throws<RemoteMediaException>(() => node.Process(block, 1, 16000, output.AsSpan()));
        Assert.Equal(ErrorCode.InvalidArgument, nan.ErrorCode);
        Assert.Contains("sample 42", nan.Message, StringComparison.Ordinal);
        block[42] = float.PositiveInfinity;
        Assert.Equal(ErrorCode.InvalidArgument, Assert.Throws<RemoteMediaException>(() => node.Process(block, 1, 16000, output.AsSpan())).ErrorCode);

        // The rejected blocks were not consumed: one clean 10 ms frame is exactly one decision.
        node.Process(new float[160], 1, 16000, output.AsSpan());
        Assert.Equal(1, VadStatistics.Read(node).TotalFrames);

        var mismatch = Assert.Throws<RemoteMediaException>(() => node.Process(new float[320], 2, 16000, output.AsSpan()));
        Assert.Equal(ErrorCode.StreamMismatch, mismatch.ErrorCode);

        var small = Assert.Throws<RemoteMediaException>(() => node.Process(new float[160], 1, 16000, output.AsSpan(0, 10)));
        Assert.Equal(ErrorCode.BufferTooSmall, small.ErrorCode);

        var shape = node.GetOutputShape(AudioFormat.F32(16000, 1), 1000);
        Assert.Equal(1000, shape.MaxFrames);
        Assert.Throws<RemoteMediaException>(() => node.GetOutputShape(AudioFormat.F32(22050, 1), 1000));
    }
}
