using RemoteMedia.Nodes;

namespace RemoteMedia.Pipeline.Nodes;

/// <summary><c>PassThrough</c>: copies its input to its output unchanged (a tap point, or a placeholder in a manifest).</summary>
public sealed class PassThroughNode : INodeExecutor
{
    public const string NodeKind = "PassThrough";

    public PassThroughNode(string? config = null) => NodeParams.Parse(NodeKind, config).Finish();

    public string Kind => NodeKind;

    public NodeRuntime Runtime => NodeRuntime.Managed;

    public double LatencyFrames => 0;

    public OutputShape GetOutputShape(AudioFormat input, int inputFrames) => new(input, inputFrames);

    public AudioChunk Process(AudioFormat format, ReadOnlySpan<byte> input, Span<byte> output)
    {
        var frames = NodeInput.WholeFrames(format, input.Length, NodeKind);
        NodeInput.EnsureCapacity(input.Length, output.Length, NodeKind);
        input.CopyTo(output);
        return new AudioChunk(frames, format);
    }

    public AudioChunk Flush(Span<byte> output) => default;

    public void Reset()
    {
    }

    public int ReadEvents(Span<NodeEvent> events) => 0;

    public void Dispose()
    {
    }
}
