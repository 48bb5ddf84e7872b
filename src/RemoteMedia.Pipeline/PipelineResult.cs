namespace RemoteMedia.Pipeline;

/// <summary>The output of a batch run: the primary output, every sink's blocks, and every node event.</summary>
public sealed record PipelineResult(
    string OutputNodeId,
    AudioFormat OutputFormat,
    byte[] Output,
    IReadOnlyDictionary<string, SinkOutput> Sinks,
    IReadOnlyList<PipelineEvent> Events)
{
    public int OutputFrames => Output.Length / OutputFormat.BytesPerFrame;
}

/// <summary>What one sink node produced, block by block (e.g. one block per utterance for VADTriggeredBuffer).</summary>
public sealed record SinkOutput(AudioFormat Format, IReadOnlyList<byte[]> Blocks)
{
    public byte[] Concatenated() => Blocks.SelectMany(b => b).ToArray();

    public int Frames => Blocks.Sum(b => b.Length) / Format.BytesPerFrame;
}

/// <summary>A node event with the id of the node that raised it.</summary>
public readonly record struct PipelineEvent(string NodeId, NodeEvent Event);

/// <summary>Receives a sink's output block; <paramref name="data"/> is only valid during the call.</summary>
public delegate void PipelineOutputHandler(string nodeId, AudioChunk chunk, ReadOnlySpan<byte> data);

/// <summary>Receives every node event as the pipeline reads it.</summary>
public delegate void PipelineEventHandler(string nodeId, NodeEvent nodeEvent);

/// <summary>One node of a built pipeline: what was asked (kind, hint) and what runs (runtime, why not native).</summary>
public sealed record PipelineNodeInfo(
    string Id,
    string Kind,
    RuntimeHint Hint,
    NodeRuntime Runtime,
    string? FallbackReason,
    bool? IsStreaming,
    IReadOnlyList<string> Inputs,
    IReadOnlyList<string> Outputs);
