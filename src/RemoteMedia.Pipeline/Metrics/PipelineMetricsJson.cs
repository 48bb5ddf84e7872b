using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace RemoteMedia.Pipeline.Metrics;

/// <summary>
/// Writes <c>GetMetrics()</c> in the original SDK's shape (pipeline_id, total_executions, total_duration_us,
/// node_metrics[...], metrics_overhead_us) plus our fields: per node runtime, fallback_reason, frames in/out and
/// the histogram; per pipeline the native runtime status.
/// </summary>
internal static class PipelineMetricsJson
{
    private static readonly Lazy<double> NanosecondsPerRecord = new(Calibrate);

    public static string Write(string pipelineId, long executions, long timedExecutions, long durationTicks, IReadOnlyList<NodeMetrics> nodes, PipelineOptions options)
    {
        var enabled = options.EnableMetrics;
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("pipeline_id", pipelineId);
            w.WriteNumber("total_executions", executions);
            // With sampled timing the measured sum is scaled up to all executions (exact when every push is timed).
            var scale = timedExecutions == 0 ? 0 : (double)executions / timedExecutions;
            w.WriteNumber("total_duration_us", Round(NodeMetrics.TicksToMicroseconds(durationTicks) * scale));
            w.WriteStartArray("node_metrics");
            long timedRecords = 0, countedRecords = 0;
            foreach (var node in nodes)
            {
                timedRecords += node.TimedCalls;
                countedRecords += node.Calls - node.TimedCalls;
                WriteNode(w, node);
            }
            w.WriteEndArray();
            // Estimated, not measured per call (measuring would double the cost): timed calls x the calibrated cost of
            // one clock read plus one record; untimed (sampled-out) calls cost a few counter increments, counted as zero.
            w.WriteNumber("metrics_overhead_us", enabled ? Round(timedRecords * NanosecondsPerRecord.Value / 1000.0) : 0);
            w.WriteNumber("metrics_overhead_ns_per_timed_call", enabled ? Round(NanosecondsPerRecord.Value) : 0);
            w.WriteBoolean("metrics_enabled", enabled);
            w.WriteNumber("timing_sample_interval", Math.Max(1, options.TimingSampleInterval));
            w.WriteNumber("untimed_calls", countedRecords);
            var status = RemoteMediaRuntime.Status;
            w.WriteBoolean("native_available", status.IsNativeAvailable);
            w.WriteString("native_status", status.Description);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteNode(Utf8JsonWriter w, NodeMetrics node)
    {
        w.WriteStartObject();
        w.WriteString("node_id", node.NodeId);
        w.WriteString("node_type", node.NodeType);
        w.WriteNumber("execution_count", node.Calls);
        w.WriteNumber("timed_count", node.TimedCalls);
        w.WriteNumber("success_count", node.Successes);
        w.WriteNumber("error_count", node.Errors);
        w.WriteNumber("success_rate", node.Calls == 0 ? 1.0 : Math.Round((double)node.Successes / node.Calls, 6));
        w.WriteNumber("total_duration_us", Round(node.EstimatedTotalMicroseconds));
        w.WriteNumber("avg_duration_us", Round(node.AverageMicroseconds));
        w.WriteNumber("min_duration_us", Round(node.MinMicroseconds));
        w.WriteNumber("max_duration_us", Round(node.MaxMicroseconds));
        w.WriteNumber("frames_in", node.FramesIn);
        w.WriteNumber("frames_out", node.FramesOut);
        w.WriteString("runtime", node.Runtime == NodeRuntime.Native ? "native" : "managed");
        if (node.FallbackReason is { } reason)
        {
            w.WriteString("fallback_reason", reason);
        }
        else
        {
            w.WriteNull("fallback_reason");
        }
        w.WriteStartArray("duration_histogram");
        foreach (var (upper, count) in node.Histogram())
        {
            w.WriteStartObject();
            w.WriteNumber("le_us", Round(upper));
            w.WriteNumber("count", count);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static double Round(double value) => Math.Round(value, 3);

    /// <summary>Times the per-call bookkeeping (one clock read plus one record) on a scratch counter.</summary>
    private static double Calibrate()
    {
        var scratch = new NodeMetrics("calibration", "calibration", NodeRuntime.Managed, null, null);
        const int Rounds = 20_000;
        var start = Stopwatch.GetTimestamp();
        var mark = start;
        for (var i = 0; i < Rounds; i++)
        {
            var now = Stopwatch.GetTimestamp();
            scratch.Record(now - mark, 1, 1, false);
            mark = now;
        }
        return Stopwatch.GetElapsedTime(start).TotalNanoseconds / Rounds;
    }
}
