using RemoteMedia.Nodes;

namespace RemoteMedia.Pipeline.Nodes;

/// <summary>
/// <c>AudioBuffer</c>: re-chunks a stream into blocks of exactly <c>buffer_size_samples</c> frames (samples per
/// channel); the rest comes out on flush. In a pipeline every block travels downstream on its own; called
/// directly, <see cref="INodeExecutor.Process"/> returns the first ready block and <see cref="DrainPending"/> the others.
/// </summary>
public sealed class AudioBufferNode : INodeExecutor, IPendingOutput
{
    public const string NodeKind = "AudioBuffer";
    public const int DefaultBlockFrames = 1024;
    private readonly int blockFrames;
    private readonly ByteQueue queue = new(0);
    private AudioFormat? format;

    public AudioBufferNode(string? config = null)
    {
        var p = NodeParams.Parse(NodeKind, config);
        blockFrames = (int)p.Int("buffer_size_samples", 1, 100_000_000, DefaultBlockFrames);
        p.Finish();
    }

    public string Kind => NodeKind;

    public NodeRuntime Runtime => NodeRuntime.Managed;

    /// <summary>Worst case: a frame waits until the block it starts is full.</summary>
    public double LatencyFrames => blockFrames - 1;

    public int BlockFrames => blockFrames;

    public bool HasPendingOutput => format is { } f && queue.Count >= blockFrames * f.BytesPerFrame;

    public OutputShape GetOutputShape(AudioFormat input, int inputFrames)
    {
        NodeInput.WholeFrames(input, 0, NodeKind);
        return new OutputShape(input, blockFrames);
    }

    public AudioChunk Process(AudioFormat format, ReadOnlySpan<byte> input, Span<byte> output)
    {
        NodeInput.WholeFrames(format, input.Length, NodeKind);
        NodeInput.EnsureSameStream(this.format, format, NodeKind);
        this.format = format;
        queue.Append(input);
        return HasPendingOutput ? DrainPending(output) : new AudioChunk(0, format);
    }

    public AudioChunk DrainPending(Span<byte> output) => Take(output, wholeBlockOnly: true);

    public AudioChunk Flush(Span<byte> output) => Take(output, wholeBlockOnly: false);

    private AudioChunk Take(Span<byte> output, bool wholeBlockOnly)
    {
        if (format is not { } f)
        {
            return default;
        }
        var frames = Math.Min(queue.Count / f.BytesPerFrame, blockFrames);
        if (wholeBlockOnly && frames < blockFrames)
        {
            return new AudioChunk(0, f);
        }
        var bytes = frames * f.BytesPerFrame;
        NodeInput.EnsureCapacity(bytes, output.Length, NodeKind);
        queue.Data[..bytes].CopyTo(output);
        queue.Consume(bytes);
        return new AudioChunk(frames, f);
    }

    public void Reset()
    {
        queue.Clear();
        format = null;
    }

    public int ReadEvents(Span<NodeEvent> events) => 0;

    public void Dispose()
    {
    }
}
