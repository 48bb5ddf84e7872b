using System.Runtime.InteropServices;
using RemoteMedia.Pipeline.Nodes;

namespace RemoteMedia.Pipeline.Execution;

/// <summary>
/// Fan-in: a node with several inputs receives their sample-wise SUM (a mix), aligned by stream position. Inputs
/// must share one format. A block is mixed as soon as every input has produced it; at the end of the stream the
/// shorter inputs count as silence. Integer formats saturate; f32 is summed as is (no normalization, so two
/// full-scale inputs can exceed 1.0: insert a gain stage if that matters).
/// </summary>
internal sealed class FanInMixer
{
    private readonly ByteQueue[] inputs;
    private readonly byte[] mixed;

    public FanInMixer(int inputCount, AudioFormat format, int blockFrames)
    {
        Format = format;
        BlockFrames = Math.Max(1, blockFrames);
        inputs = new ByteQueue[inputCount];
        for (var i = 0; i < inputCount; i++)
        {
            inputs[i] = new ByteQueue(2 * BlockFrames * format.BytesPerFrame);
        }
        mixed = new byte[BlockFrames * format.BytesPerFrame];
    }

    public AudioFormat Format { get; }

    public int BlockFrames { get; }

    public void Append(int input, AudioFormat format, ReadOnlySpan<byte> data)
    {
        if (format != Format)
        {
            throw new RemoteMediaException(ErrorCode.StreamMismatch, $"fan-in input delivered {format}, the mix runs at {Format}");
        }
        inputs[input].Append(data);
    }

    /// <summary>Mixes and returns the next block; empty when not every input has data (or, at the end of the stream, none has).</summary>
    public ReadOnlySpan<byte> NextBlock(bool endOfStream)
    {
        var frameBytes = Format.BytesPerFrame;
        var frames = endOfStream ? 0 : int.MaxValue;
        foreach (var input in inputs)
        {
            var available = input.Count / frameBytes;
            frames = endOfStream ? Math.Max(frames, available) : Math.Min(frames, available);
        }
        frames = Math.Min(frames, BlockFrames);
        if (frames == 0)
        {
            return [];
        }
        var bytes = frames * frameBytes;
        var output = mixed.AsSpan(0, bytes);
        output.Clear();
        foreach (var input in inputs)
        {
            var take = Math.Min(bytes, input.Count - (input.Count % frameBytes));
            Add(input.Data[..take], output);
            input.Consume(take);
        }
        return output;
    }

    private void Add(ReadOnlySpan<byte> source, Span<byte> sum)
    {
        switch (Format.Sample)
        {
            case SampleFormat.F32:
            {
                var s = MemoryMarshal.Cast<byte, float>(source);
                var d = MemoryMarshal.Cast<byte, float>(sum);
                for (var i = 0; i < s.Length; i++)
                {
                    d[i] += s[i];
                }
                break;
            }
            case SampleFormat.S16:
            {
                var s = MemoryMarshal.Cast<byte, short>(source);
                var d = MemoryMarshal.Cast<byte, short>(sum);
                for (var i = 0; i < s.Length; i++)
                {
                    d[i] = (short)Math.Clamp(d[i] + s[i], short.MinValue, short.MaxValue);
                }
                break;
            }
            default:
            {
                var s = MemoryMarshal.Cast<byte, int>(source);
                var d = MemoryMarshal.Cast<byte, int>(sum);
                for (var i = 0; i < s.Length; i++)
                {
                    d[i] = (int)Math.Clamp((long)d[i] + s[i], int.MinValue, int.MaxValue);
                }
                break;
            }
        }
    }
}
