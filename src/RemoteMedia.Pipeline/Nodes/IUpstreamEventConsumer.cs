namespace RemoteMedia.Pipeline.Nodes;

/// <summary>
/// A node that reacts to the events of the nodes upstream of it (e.g. VADTriggeredBuffer reading VADNode's
/// voice-activity decisions). In a pipeline, after a node processes a block, its events are forwarded to every
/// downstream consumer (passing through non-consumer nodes) BEFORE the block's audio reaches that consumer.
/// </summary>
public interface IUpstreamEventConsumer
{
    /// <summary>Receives upstream events; the span is only valid during the call, copy what you keep.</summary>
    void OnUpstreamEvents(ReadOnlySpan<NodeEvent> events);
}

/// <summary>
/// A node that can produce more than one output block per input block (one block per utterance, one fixed-size
/// block per re-chunked slice). After <see cref="INodeExecutor.Process"/> or <see cref="INodeExecutor.Flush"/>, the
/// pipeline calls <see cref="DrainPending"/> while <see cref="HasPendingOutput"/> is true and delivers each block
/// separately downstream. Each block fits the <see cref="OutputShape"/> the node reported.
/// </summary>
public interface IPendingOutput
{
    bool HasPendingOutput { get; }

    AudioChunk DrainPending(Span<byte> output);
}
