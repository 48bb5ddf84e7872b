using System.Diagnostics;
using System.Numerics;

namespace RemoteMedia.Pipeline.Metrics;

/// <summary>
/// One node's counters in a pipeline: calls, successes, errors, frames in/out, processing time (total, min, max,
/// and a log2 histogram), which runtime runs it and why it is not native. Recording is a handful of integer
/// updates on fields of this object (no allocation, no lock): the session that runs the node is its only writer.
/// </summary>
public sealed class NodeMetrics
{
    /// <summary>Histogram bucket i counts calls that took less than 2^(i+1) Stopwatch ticks (and at least 2^i).</summary>
    public const int BucketCount = 40;
    private readonly long[] histogram = new long[BucketCount];
    private long calls;
    private long timedCalls;
    private long errors;
    private long framesIn;
    private long framesOut;
    private long totalTicks;
    private long minTicks = long.MaxValue;
    private long maxTicks;

    internal NodeMetrics(string nodeId, string nodeType, NodeRuntime runtime, string? fallbackReason, PipelineInstruments? instruments)
    {
        NodeId = nodeId;
        NodeType = nodeType;
        Runtime = runtime;
        FallbackReason = fallbackReason;
        Instruments = instruments;
        Tags = new System.Diagnostics.TagList
        {
            { "node_id", nodeId },
            { "node_type", nodeType },
            { "runtime", runtime == NodeRuntime.Native ? "native" : "managed" },
        };
    }

    public string NodeId { get; }

    public string NodeType { get; }

    public NodeRuntime Runtime { get; }

    /// <summary>Why this node runs managed although native was allowed; null when native or managed on request.</summary>
    public string? FallbackReason { get; }

    public long Calls => Volatile.Read(ref calls);

    /// <summary>Calls whose time was measured (all of them unless timing is sampled).</summary>
    public long TimedCalls => Volatile.Read(ref timedCalls);

    public long Errors => Volatile.Read(ref errors);

    public long Successes => Calls - Errors;

    public long FramesIn => Volatile.Read(ref framesIn);

    public long FramesOut => Volatile.Read(ref framesOut);

    public TimeSpan TotalTime => Stopwatch.GetElapsedTime(0, Volatile.Read(ref totalTicks));

    public double TotalMicroseconds => TicksToMicroseconds(Volatile.Read(ref totalTicks));

    public double MinMicroseconds => TimedCalls == 0 ? 0 : TicksToMicroseconds(Volatile.Read(ref minTicks));

    public double MaxMicroseconds => TicksToMicroseconds(Volatile.Read(ref maxTicks));

    /// <summary>The measured total, scaled up to every call when timing is sampled (exact otherwise).</summary>
    public double EstimatedTotalMicroseconds => TimedCalls == 0 ? 0 : TotalMicroseconds * Calls / TimedCalls;

    public double AverageMicroseconds => TimedCalls == 0 ? 0 : TotalMicroseconds / TimedCalls;

    internal System.Diagnostics.TagList Tags { get; }

    internal PipelineInstruments? Instruments { get; }

    /// <summary>Counts per histogram bucket, with the bucket's upper bound in microseconds.</summary>
    public IReadOnlyList<(double UpperBoundMicroseconds, long Count)> Histogram()
    {
        var result = new List<(double, long)>();
        for (var i = 0; i < BucketCount; i++)
        {
            var count = Volatile.Read(ref histogram[i]);
            if (count > 0)
            {
                result.Add((TicksToMicroseconds(2L << i), count));
            }
        }
        return result;
    }

    /// <summary>The hot path: one completed call, untimed.</summary>
    internal void Count(int inFrames, int outFrames, bool failed)
    {
        calls++;
        if (failed)
        {
            errors++;
        }
        framesIn += inFrames;
        framesOut += outFrames;
    }

    /// <summary>The hot path: one completed, timed call.</summary>
    internal void Record(long elapsedTicks, int inFrames, int outFrames, bool failed)
    {
        Count(inFrames, outFrames, failed);
        timedCalls++;
        totalTicks += elapsedTicks;
        if (elapsedTicks < minTicks)
        {
            minTicks = elapsedTicks;
        }
        if (elapsedTicks > maxTicks)
        {
            maxTicks = elapsedTicks;
        }
        histogram[Math.Min(BitOperations.Log2((ulong)elapsedTicks | 1), BucketCount - 1)]++;
        if (Instruments is { Duration.Enabled: true } instruments)
        {
            instruments.Duration.Record(TicksToMicroseconds(elapsedTicks), Tags);
        }
    }

    internal static double TicksToMicroseconds(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;
}
