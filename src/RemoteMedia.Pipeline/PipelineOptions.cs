using Microsoft.Extensions.Logging;
using RemoteMedia.Nodes;

namespace RemoteMedia.Pipeline;

/// <summary>How a pipeline is built and run.</summary>
public sealed record PipelineOptions
{
    /// <summary>Where node kinds come from; user kinds registered there are usable in manifests.</summary>
    public NodeRegistry Registry { get; init; } = NodeRegistry.Default;

    /// <summary>
    /// When set, replaces every node's <c>runtime_hint</c> (the CLI's <c>--runtime</c>). Native applies to the kinds
    /// that have a native implementation; the others run managed.
    /// </summary>
    public RuntimeHint? RuntimeOverride { get; init; }

    /// <summary>Per-node counters and timings; off removes even the timestamps from the hot path.</summary>
    public bool EnableMetrics { get; init; } = true;

    /// <summary>
    /// Time one push in this many (counters stay exact for every call). 1, the default, times every call. Where
    /// reading the clock is slow (Stopwatch.GetTimestamp costs ~100 ns on some VMs), 8 or 16 keeps the overhead of
    /// metrics near a few nanoseconds per node call while the timing statistics remain representative.
    /// </summary>
    public int TimingSampleInterval { get; init; } = 1;

    /// <summary>The node whose output is "the" output (written by file runs); default: the last sink declared.</summary>
    public string? OutputNodeId { get; init; }

    /// <summary>The id reported in metrics; default: the manifest's metadata name.</summary>
    public string? PipelineId { get; init; }

    /// <summary>The largest block pushed through the graph at once; larger pushes are split. Sizes the pooled buffers.</summary>
    public int MaxBlockFrames { get; init; } = 4096;

    public ILogger? Logger { get; init; }
}
