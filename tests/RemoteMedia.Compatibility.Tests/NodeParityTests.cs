using RemoteMedia.Nodes;
using RemoteMedia.Pipeline.Nodes;

namespace RemoteMedia.Compatibility.Tests;

/// <summary>
/// Numeric parity, native vs managed, for every node kind that has both. Kinds that exist only in managed code
/// (PassThrough, AudioBuffer, VADTriggeredBuffer) have nothing to compare; the coverage test makes sure no
/// native kind is left out of this list.
/// </summary>
public class NodeParityTests
{
    private static readonly string[] ParityKinds = ["FormatConverterNode", "AudioResampleNode", "VADNode", "AudioTransform"];

    static NodeParityTests() => PipelineNodeKinds.RegisterTo(NodeRegistry.Default);

    [Theory]
    [InlineData("""{"target_format":"i16","target_channels":1}""")]
    [InlineData("""{"target_format":"i32"}""")]
    [InlineData("""{"target_format":"f32","target_channels":1}""")]
    public void FormatConverterIsBitIdentical(string config)
    {
        var format = AudioFormat.F32(48000, 2);
        var signal = Parity.Signal(48000, 2, seconds: 0.5);
        var managed = Parity.Run("FormatConverterNode", config, RuntimeHint.Managed, format, signal);
        Assert.Equal(24000 * managed.Format.BytesPerFrame, managed.Output.Length);
        if (CompatibilityScenarios.ParityAvailable("FormatConverterNode"))
        {
            var native = Parity.Run("FormatConverterNode", config, RuntimeHint.Native, format, signal);
            Assert.Equal(managed.Format, native.Format);
            Assert.Equal(managed.Output, native.Output);
        }
    }

    [Fact]
    [Trait("Requires", "AudioResampleNode")]
    public void AudioTransformWithNativePartsMatchesManagedParts()
    {
        var format = AudioFormat.F32(44100, 2);
        var signal = Parity.Signal(44100, 2, seconds: 1);
        const string config = """{"output_sample_rate":16000,"output_channels":1}""";
        var managed = RunTransform(config, RuntimeHint.Managed, format, signal);
        Assert.Equal(16000, managed.Length);
        if (!RemoteMediaRuntime.Status.IsNativeAvailable)
        {
            Assert.Throws<RemoteMediaException>(() => RunTransform(config, RuntimeHint.Native, format, signal));
            return;
        }
        var native = RunTransform(config, RuntimeHint.Native, format, signal);
        var db = Parity.DifferenceDb(native, managed);
        Assert.True(db <= -120, $"native vs managed difference {db:0.0} dB");
    }

    [Fact]
    public void EveryNativeKindIsCoveredByAParityTest()
    {
        var nativeKinds = NodeRegistry.Default.Kinds.Where(k => k.HasNative).Select(k => k.Kind);
        Assert.All(nativeKinds, kind => Assert.Contains(kind, ParityKinds));
    }

    [Theory]
    [InlineData("PassThrough")]
    [InlineData("AudioBuffer")]
    [InlineData("VADTriggeredBuffer")]
    public void ManagedOnlyKindsAreManagedUnderAutoAndRefuseNative(string kind)
    {
        Assert.True(NodeRegistry.Default.TryGet(kind, out var info));
        Assert.False(info.HasNative);
        using var node = NodeRegistry.Default.Create(kind, "{}", RuntimeHint.Auto);
        Assert.Equal(NodeRuntime.Managed, node.Runtime);
        var ex = Assert.Throws<RemoteMediaException>(() => NodeRegistry.Default.Create(kind, "{}", RuntimeHint.Native));
        Assert.Contains("no native implementation", ex.Message);
    }

    private static float[] RunTransform(string config, RuntimeHint hint, AudioFormat format, float[] signal)
    {
        using var node = PipelineNodeKinds.Create(NodeRegistry.Default, AudioTransformNode.NodeKind, config, hint);
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(signal.AsSpan()).ToArray();
        var block = 882 * format.BytesPerFrame;
        var buffer = new byte[node.GetOutputShape(format, 882).MaxBytes];
        var output = new List<byte>();
        for (var offset = 0; offset < bytes.Length; offset += block)
        {
            var chunk = node.Process(format, bytes.AsSpan(offset, Math.Min(block, bytes.Length - offset)), buffer);
            output.AddRange(buffer.AsSpan(0, chunk.ByteCount).ToArray());
        }
        var tail = node.Flush(buffer);
        output.AddRange(buffer.AsSpan(0, tail.ByteCount).ToArray());
        return CompatibilityScenarios.Floats(output.ToArray());
    }
}
