using System.Runtime.InteropServices;

namespace RemoteMedia.Nodes.Managed;

/// <summary>The C# FormatConverterNode: same parameters and bit-identical output as the native one.</summary>
internal sealed class ManagedFormatConverter : INodeExecutor
{
    public const string NodeKind = "FormatConverterNode";
    private readonly SampleFormat target;
    private readonly int? targetChannels;

    public ManagedFormatConverter(string? config)
    {
        var p = NodeParams.Parse(NodeKind, config);
        target = SampleFormatExtensions.ParseSampleFormat(p.Choice("target_format", ["f32", "i16", "i32"], "f32"));
        targetChannels = (int?)p.OptionalInt("target_channels", 1, AudioFormat.MaxChannels);
        p.Finish();
    }

    public string Kind => NodeKind;

    public NodeRuntime Runtime => NodeRuntime.Managed;

    public double LatencyFrames => 0;

    public OutputShape GetOutputShape(AudioFormat input, int inputFrames)
    {
        NodeGuards.ValidateFormat(input, NodeKind);
        return new OutputShape(new AudioFormat(input.SampleRate, OutputChannels(input.Channels), target), inputFrames);
    }

    public AudioChunk Process(AudioFormat format, ReadOnlySpan<byte> input, Span<byte> output)
    {
        var frames = NodeGuards.WholeFrames(format, input.Length, NodeKind);
        var outFormat = new AudioFormat(format.SampleRate, OutputChannels(format.Channels), target);
        NodeGuards.EnsureCapacity(frames * outFormat.BytesPerFrame, output.Length, outFormat, NodeKind);
        switch (format.Sample)
        {
            case SampleFormat.F32: ConvertFrom<float, F32Codec>(input, format.Channels, output, outFormat.Channels, frames); break;
            case SampleFormat.S16: ConvertFrom<short, S16Codec>(input, format.Channels, output, outFormat.Channels, frames); break;
            default: ConvertFrom<int, S32Codec>(input, format.Channels, output, outFormat.Channels, frames); break;
        }
        return new AudioChunk(frames, outFormat);
    }

    public AudioChunk Flush(Span<byte> output) => default;

    public void Reset()
    {
    }

    public int ReadEvents(Span<NodeEvent> events) => 0;

    public void Dispose()
    {
    }

    private int OutputChannels(int inputChannels)
    {
        var output = targetChannels ?? inputChannels;
        if (output == inputChannels || output == 1 || inputChannels == 1)
        {
            return output;
        }
        throw new RemoteMediaException(ErrorCode.UnsupportedFormat,
            $"{NodeKind}: cannot map {inputChannels} channels to {output}; supported: same count, N -> 1 (average), 1 -> N (copy)");
    }

    private void ConvertFrom<TIn, TInCodec>(ReadOnlySpan<byte> input, int inCh, Span<byte> output, int outCh, int frames)
        where TIn : unmanaged
        where TInCodec : ISampleCodec<TIn>
    {
        var src = MemoryMarshal.Cast<byte, TIn>(input);
        switch (target)
        {
            case SampleFormat.F32: Convert<TIn, TInCodec, float, F32Codec>(src, inCh, MemoryMarshal.Cast<byte, float>(output), outCh, frames); break;
            case SampleFormat.S16: Convert<TIn, TInCodec, short, S16Codec>(src, inCh, MemoryMarshal.Cast<byte, short>(output), outCh, frames); break;
            default: Convert<TIn, TInCodec, int, S32Codec>(src, inCh, MemoryMarshal.Cast<byte, int>(output), outCh, frames); break;
        }
    }

    private static void Convert<TIn, TInCodec, TOut, TOutCodec>(ReadOnlySpan<TIn> src, int inCh, Span<TOut> dst, int outCh, int frames)
        where TIn : unmanaged
        where TInCodec : ISampleCodec<TIn>
        where TOut : unmanaged
        where TOutCodec : ISampleCodec<TOut>
    {
        if (inCh == outCh)
        {
            var count = frames * inCh;
            for (var i = 0; i < count; i++)
            {
                dst[i] = TOutCodec.FromDouble(TInCodec.ToDouble(src[i]));
            }
        }
        else if (outCh == 1)
        {
            double divisor = inCh;
            for (var f = 0; f < frames; f++)
            {
                var sum = 0.0;
                var frame = src.Slice(f * inCh, inCh);
                foreach (var s in frame)
                {
                    sum += TInCodec.ToDouble(s);
                }
                dst[f] = TOutCodec.FromDouble(sum / divisor);
            }
        }
        else
        {
            for (var f = 0; f < frames; f++)
            {
                dst.Slice(f * outCh, outCh).Fill(TOutCodec.FromDouble(TInCodec.ToDouble(src[f])));
            }
        }
    }
}
