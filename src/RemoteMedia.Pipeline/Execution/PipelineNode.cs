using RemoteMedia.Pipeline.Metrics;
using RemoteMedia.Pipeline.Nodes;

namespace RemoteMedia.Pipeline.Execution;

/// <summary>A node inside a built pipeline: its executor, its edges (as indices in topological order) and its metrics.</summary>
internal sealed class PipelineNode(PipelineNodeInfo info, INodeExecutor executor, NodeMetrics metrics)
{
    public PipelineNodeInfo Info { get; } = info;

    public string Id => Info.Id;

    public INodeExecutor Executor { get; } = executor;

    public NodeMetrics Metrics { get; } = metrics;

    public IUpstreamEventConsumer? EventConsumer { get; } = executor as IUpstreamEventConsumer;

    public IPendingOutput? Pending { get; } = executor as IPendingOutput;

    public int[] Upstream { get; set; } = [];

    public int[] Downstream { get; set; } = [];

    public bool IsSource => Upstream.Length == 0;

    public bool IsSink => Downstream.Length == 0;
}
