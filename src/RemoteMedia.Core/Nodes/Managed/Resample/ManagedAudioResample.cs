using System.Runtime.InteropServices;

namespace RemoteMedia.Nodes.Managed.Resample;

/// <summary>
/// The C# AudioResampleNode: the same algorithm and coefficients as the native one (see
/// docs/RESAMPLER.md). Parameters: target_sample_rate (default 16000), quality low|medium|high
/// (default high). f32 interleaved, any channel count; equal rates pass through untouched.
/// </summary>
internal sealed class ManagedAudioResample : INodeExecutor
{
    public const string NodeKind = "AudioResampleNode";
    private readonly int targetRate;
    private readonly ResampleQuality quality;
    private ResampleStream? stream;
    /// <summary>Input rate and channels of the current stream; null when idle.</summary>
    private (int Rate, int Channels)? current;

    public ManagedAudioResample(string? config)
    {
        var p = NodeParams.Parse(NodeKind, config);
        targetRate = (int)p.Int("target_sample_rate", 1, AudioFormat.MaxSampleRate, 16000);
        quality = ResampleDesign.ParseQuality(p.Choice("quality", ["low", "medium", "high"], "high"));
        p.Finish();
    }

    public string Kind => NodeKind;

    public NodeRuntime Runtime => NodeRuntime.Managed;

    public double LatencyFrames => current is { } c && c.Rate != targetRate && stream is not null ? stream.LatencyFrames : 0;

    /// <summary>The latency a stream at <paramref name="inputRate"/> will have, before any input.</summary>
    public double LatencyFor(int inputRate)
    {
        if (inputRate == targetRate)
        {
            return 0;
        }
        var (phases, step) = ResampleDesign.ReducedRatio(inputRate, targetRate);
        return ResampleDesign.TapsPerOutput(inputRate, targetRate, quality) / 2 * (double)phases / step;
    }

    public OutputShape GetOutputShape(AudioFormat input, int inputFrames)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputFrames);
        CheckFormat(input);
        return new OutputShape(AudioFormat.F32(targetRate, input.Channels), MaxOutputFrames(input.SampleRate, inputFrames));
    }

    private int MaxOutputFrames(int inputRate, int frames)
    {
        if (inputRate == targetRate)
        {
            return frames;
        }
        var (phases, step) = ResampleDesign.ReducedRatio(inputRate, targetRate);
        var halfTaps = ResampleDesign.TapsPerOutput(inputRate, targetRate, quality) / 2;
        long PerInput(long n) => (n * phases + step - 1) / step;
        return checked((int)(PerInput(frames) + PerInput(halfTaps) + 2));
    }

    private static void CheckFormat(AudioFormat format)
    {
        NodeGuards.ValidateFormat(format, NodeKind);
        if (format.Sample != SampleFormat.F32)
        {
            throw new RemoteMediaException(ErrorCode.UnsupportedFormat,
                $"{NodeKind} takes f32 samples, got {format.Sample.Name()}; put a FormatConverterNode before it");
        }
    }

    public AudioChunk Process(AudioFormat format, ReadOnlySpan<byte> input, Span<byte> output)
    {
        CheckFormat(format);
        var frames = NodeGuards.WholeFrames(format, input.Length, NodeKind);
        if (current is { } c)
        {
            if (c.Rate != format.SampleRate)
            {
                throw new RemoteMediaException(ErrorCode.StreamMismatch,
                    $"{NodeKind}: input sample rate changed mid-stream from {c.Rate} Hz to {format.SampleRate} Hz; call flush() or reset() before starting a stream at a new rate");
            }
            if (c.Channels != format.Channels)
            {
                throw new RemoteMediaException(ErrorCode.StreamMismatch,
                    $"{NodeKind}: channel count changed mid-stream from {c.Channels} to {format.Channels}; call flush() or reset() first");
            }
        }
        var outFormat = AudioFormat.F32(targetRate, format.Channels);
        var samples = MemoryMarshal.Cast<byte, float>(input);
        if (format.SampleRate == targetRate)
        {
            NodeGuards.EnsureCapacity(input.Length, output.Length, outFormat, NodeKind);
            input.CopyTo(output);
            current = (format.SampleRate, format.Channels);
            return new AudioChunk(frames, outFormat);
        }
        var active = StreamFor(format);
        var count = active.OutputsFor(frames);
        // Check capacity before touching the stream, so a too-small buffer leaves the node as it was.
        NodeGuards.EnsureCapacity(count * outFormat.BytesPerFrame, output.Length, outFormat, NodeKind);
        active.Process(samples, frames, MemoryMarshal.Cast<byte, float>(output)[..(count * format.Channels)]);
        current = (format.SampleRate, format.Channels);
        return new AudioChunk(count, outFormat);
    }

    /// <summary>The stream for this input, reusing the last one's filter and buffers when the shape matches.</summary>
    private ResampleStream StreamFor(AudioFormat format)
    {
        if (stream is null || stream.InputRate != format.SampleRate || stream.Channels != format.Channels)
        {
            stream = new ResampleStream(format.SampleRate, targetRate, quality, format.Channels);
        }
        return stream;
    }

    public AudioChunk Flush(Span<byte> output)
    {
        if (current is not { } c)
        {
            return new AudioChunk(0, AudioFormat.F32(targetRate, 1));
        }
        var outFormat = AudioFormat.F32(targetRate, c.Channels);
        if (c.Rate == targetRate || stream is null)
        {
            current = null;
            return new AudioChunk(0, outFormat);
        }
        var count = stream.FlushCount();
        NodeGuards.EnsureCapacity(count * outFormat.BytesPerFrame, output.Length, outFormat, NodeKind);
        stream.Flush(MemoryMarshal.Cast<byte, float>(output)[..(count * c.Channels)]);
        current = null;
        return new AudioChunk(count, outFormat);
    }

    public void Reset()
    {
        stream?.Reset();
        current = null;
    }

    public int ReadEvents(Span<NodeEvent> events) => 0;

    public void Dispose()
    {
    }
}
