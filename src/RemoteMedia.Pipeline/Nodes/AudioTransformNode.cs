using System.Globalization;
using RemoteMedia.Nodes;

namespace RemoteMedia.Pipeline.Nodes;

/// <summary>
/// <c>AudioTransform</c>, the original SDK's legacy node (<c>output_sample_rate</c>, <c>output_channels</c>), kept so
/// old manifests run unchanged. It is a composition through the registry: FormatConverterNode (to f32 with the
/// target channel count) then AudioResampleNode (to the target rate), each native when the runtime allows.
/// </summary>
public sealed class AudioTransformNode : INodeExecutor
{
    public const string NodeKind = "AudioTransform";
    public const string ConverterKind = "FormatConverterNode";
    public const string ResamplerKind = "AudioResampleNode";
    private readonly INodeExecutor converter;
    private readonly INodeExecutor resampler;
    private readonly int middleBytesPerFrame;
    private byte[] converted = [];

    public AudioTransformNode(string? config, NodeRegistry registry, RuntimeHint hint)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var p = NodeParams.Parse(NodeKind, config);
        var rate = p.Int("output_sample_rate", 1, AudioFormat.MaxSampleRate, 16000);
        var channels = p.Int("output_channels", 1, AudioFormat.MaxChannels, 1);
        p.Finish();
        middleBytesPerFrame = (int)channels * sizeof(float);
        if (!registry.TryGet(ResamplerKind, out _))
        {
            throw new RemoteMediaException(ErrorCode.UnknownNodeKind, $"{NodeKind} is built from {ResamplerKind}, which is not registered");
        }
        converter = registry.Create(ConverterKind,
            string.Create(CultureInfo.InvariantCulture, $$"""{"target_format":"f32","target_channels":{{channels}}}"""), hint);
        try
        {
            resampler = registry.Create(ResamplerKind, string.Create(CultureInfo.InvariantCulture, $$"""{"target_sample_rate":{{rate}}}"""), hint);
        }
        catch
        {
            converter.Dispose();
            throw;
        }
    }

    public AudioTransformNode(string? config)
        : this(config, NodeRegistry.Default, RuntimeHint.Auto)
    {
    }

    public string Kind => NodeKind;

    /// <summary>The resampler does the work that matters; it reports which runtime runs it.</summary>
    public NodeRuntime Runtime => resampler.Runtime;

    public double LatencyFrames => resampler.LatencyFrames;

    public OutputShape GetOutputShape(AudioFormat input, int inputFrames)
    {
        var middle = converter.GetOutputShape(input, inputFrames);
        EnsureIntermediate(middle.MaxBytes);
        return resampler.GetOutputShape(middle.Format, middle.MaxFrames);
    }

    public AudioChunk Process(AudioFormat format, ReadOnlySpan<byte> input, Span<byte> output)
    {
        EnsureIntermediate(format.FramesIn(input.Length) * middleBytesPerFrame);
        var middle = converter.Process(format, input, converted);
        return resampler.Process(middle.Format, converted.AsSpan(0, middle.ByteCount), output);
    }

    public AudioChunk Flush(Span<byte> output) => resampler.Flush(output);

    public void Reset()
    {
        converter.Reset();
        resampler.Reset();
    }

    public int ReadEvents(Span<NodeEvent> events) => 0;

    public void Dispose()
    {
        converter.Dispose();
        resampler.Dispose();
    }

    // Sized by GetOutputShape in a pipeline; grows only if a caller pushes a larger block than it announced.
    private void EnsureIntermediate(int bytes)
    {
        if (converted.Length < bytes)
        {
            converted = new byte[bytes];
        }
    }
}
