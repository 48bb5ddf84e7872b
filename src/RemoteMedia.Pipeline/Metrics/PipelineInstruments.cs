using System.Diagnostics.Metrics;

namespace RemoteMedia.Pipeline.Metrics;

/// <summary>
/// The System.Diagnostics.Metrics view of a pipeline (meter "RemoteMedia.Pipeline"). Counters are observable:
/// they read <see cref="NodeMetrics"/> when a listener collects, so they cost nothing per call. Only the
/// duration histogram records per call, and only while some listener has enabled it.
/// </summary>
internal sealed class PipelineInstruments : IDisposable
{
    public const string MeterName = "RemoteMedia.Pipeline";
    private readonly Meter meter;
    private readonly List<NodeMetrics> nodes = [];

    public PipelineInstruments(string pipelineId)
    {
        meter = new Meter(MeterName, null, [new("pipeline_id", pipelineId)]);
        Duration = meter.CreateHistogram<double>("remotemedia.pipeline.node.duration", "us", "Processing time of one node call");
        meter.CreateObservableCounter("remotemedia.pipeline.node.calls", () => Observe(n => n.Calls), description: "Node calls (process, flush, drain)");
        meter.CreateObservableCounter("remotemedia.pipeline.node.errors", () => Observe(n => n.Errors), description: "Node calls that threw");
        meter.CreateObservableCounter("remotemedia.pipeline.node.frames_in", () => Observe(n => n.FramesIn), description: "Input frames consumed");
        meter.CreateObservableCounter("remotemedia.pipeline.node.frames_out", () => Observe(n => n.FramesOut), description: "Output frames produced");
        meter.CreateObservableCounter("remotemedia.pipeline.node.processing_time", () => Observe(n => n.TotalMicroseconds), "us", "Total processing time");
        meter.CreateObservableGauge("remotemedia.pipeline.node.native", ObserveRuntime, description: "1 when the node runs native, 0 when managed (tag fallback_reason)");
    }

    public Histogram<double> Duration { get; }

    public void Add(NodeMetrics node) => nodes.Add(node);

    private IEnumerable<Measurement<T>> Observe<T>(Func<NodeMetrics, T> value)
        where T : struct =>
        nodes.Select(n => new Measurement<T>(value(n), n.Tags));

    private IEnumerable<Measurement<int>> ObserveRuntime() =>
        nodes.Select(n =>
        {
            var tags = n.Tags;
            tags.Add("fallback_reason", n.FallbackReason ?? string.Empty);
            return new Measurement<int>(n.Runtime == NodeRuntime.Native ? 1 : 0, tags);
        });

    public void Dispose() => meter.Dispose();
}
