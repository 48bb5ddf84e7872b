namespace RemoteMedia;

/// <summary>
/// The one node contract of the C# side: a stateful audio node that consumes interleaved blocks and
/// writes whatever output is ready. Native (Rust) and managed implementations of a node kind sit
/// behind the same interface and produce the same results.
/// </summary>
public interface INodeExecutor : IDisposable
{
    /// <summary>The public node kind, e.g. <c>FormatConverterNode</c>.</summary>
    string Kind { get; }

    /// <summary>Which implementation runs this node.</summary>
    NodeRuntime Runtime { get; }

    /// <summary>Group delay in output frames (0 for nodes without a filter).</summary>
    double LatencyFrames { get; }

    /// <summary>
    /// Validates an input format and returns the output format it produces, plus the most output frames
    /// that processing <paramref name="inputFrames"/> frames (or a flush after them) can write.
    /// </summary>
    OutputShape GetOutputShape(AudioFormat input, int inputFrames);

    /// <summary>Processes one interleaved block; returns what was written into <paramref name="output"/>.</summary>
    AudioChunk Process(AudioFormat format, ReadOnlySpan<byte> input, Span<byte> output);

    /// <summary>Ends the stream: writes any buffered tail into <paramref name="output"/>.</summary>
    AudioChunk Flush(Span<byte> output);

    /// <summary>Forgets all stream state, as if newly created.</summary>
    void Reset();

    /// <summary>Moves pending non-audio results (voice activity, speech start/end) into <paramref name="events"/>.</summary>
    int ReadEvents(Span<NodeEvent> events);
}
