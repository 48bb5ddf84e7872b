using System.Diagnostics;
using Microsoft.Extensions.Logging;
using RemoteMedia.Audio.Wav;
using RemoteMedia.Pipeline.Execution;
using RemoteMedia.Pipeline.Manifest;
using RemoteMedia.Pipeline.Metrics;
using RemoteMedia.Pipeline.Nodes;

namespace RemoteMedia.Pipeline;

/// <summary>
/// A built pipeline: nodes created through the registry (native or managed per runtime hint), wired as a DAG,
/// run in batch (<see cref="Run"/>, <see cref="RunFile"/>) or as a streaming <see cref="PipelineSession"/>.
/// Nodes are stateful, so one session runs at a time; each new session starts every node from a reset.
/// </summary>
public sealed class AudioPipeline : IDisposable
{
    private readonly PipelineNode[] nodes;
    private readonly PipelineInstruments? instruments;
    private int sessionOpen;
    private long executions;
    private long timedExecutions;
    private long durationTicks;
    private bool disposed;

    private AudioPipeline(PipelineManifest manifest, PipelineOptions options, PipelineNode[] nodes, PipelineInstruments? instruments)
    {
        Manifest = manifest;
        Options = options;
        this.nodes = nodes;
        this.instruments = instruments;
        Id = options.PipelineId ?? manifest.Metadata.Name;
        var sinks = nodes.Where(n => n.IsSink).ToList();
        OutputNodeId = options.OutputNodeId ?? manifest.Nodes.Last(m => sinks.Any(s => s.Id == m.Id)).Id;
        if (!nodes.Any(n => n.Id == OutputNodeId))
        {
            throw new RemoteMediaException(ErrorCode.InvalidConfig, $"output node '{OutputNodeId}' is not a node of the pipeline");
        }
    }

    public string Id { get; }

    public PipelineManifest Manifest { get; }

    public PipelineOptions Options { get; }

    /// <summary>The node whose output file runs write and <see cref="PipelineResult.Output"/> holds.</summary>
    public string OutputNodeId { get; }

    /// <summary>The nodes in execution (topological) order.</summary>
    public IReadOnlyList<PipelineNodeInfo> Nodes => nodes.Select(n => n.Info).ToList();

    public IReadOnlyList<NodeMetrics> NodeMetrics => nodes.Select(n => n.Metrics).ToList();

    internal PipelineNode[] Graph => nodes;

    public static PipelineBuilder CreateBuilder(string name) => new(name);

    public static AudioPipeline Parse(string manifestJson, PipelineOptions? options = null) =>
        FromManifest(PipelineManifest.Parse(manifestJson, options?.Logger), options);

    public static AudioPipeline Load(string manifestPath, PipelineOptions? options = null) =>
        FromManifest(PipelineManifest.Load(manifestPath, options?.Logger), options);

    /// <summary>Creates every node (errors name the node id and, from the node, the parameter) and wires the graph.</summary>
    public static AudioPipeline FromManifest(PipelineManifest manifest, PipelineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        options ??= new PipelineOptions();
        if (options.MaxBlockFrames < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxBlockFrames must be at least 1");
        }
        manifest.Validate();
        var logger = options.Logger ?? RemoteMediaRuntime.LoggerFactory.CreateLogger("RemoteMedia.Pipeline");
        var order = manifest.TopologicalOrder();
        var connections = ManifestGraph.EffectiveConnections(manifest);
        var instruments = options.EnableMetrics ? new PipelineInstruments(options.PipelineId ?? manifest.Metadata.Name) : null;
        var built = new List<PipelineNode>(order.Count);
        try
        {
            foreach (var id in order)
            {
                var spec = manifest.Nodes.First(n => n.Id == id);
                var hint = options.RuntimeOverride is { } forced ? OverrideFor(forced, spec.NodeType, options.Registry) : spec.RuntimeHint ?? RuntimeHint.Auto;
                INodeExecutor executor;
                try
                {
                    executor = PipelineNodeKinds.Create(options.Registry, spec.NodeType, spec.ParamsJson, hint);
                }
                catch (RemoteMediaException ex)
                {
                    throw PipelineErrors.NodeConfig(id, spec.NodeType, ex);
                }
                var fallback = FallbackReason(executor, hint);
                var info = new PipelineNodeInfo(id, spec.NodeType, hint, executor.Runtime, fallback, spec.IsStreaming,
                    connections.Where(c => c.To == id).Select(c => c.From).ToList(),
                    connections.Where(c => c.From == id).Select(c => c.To).ToList());
                var metrics = new NodeMetrics(id, spec.NodeType, executor.Runtime, fallback, instruments);
                instruments?.Add(metrics);
                built.Add(new PipelineNode(info, executor, metrics));
                logger.LogDebug("pipeline node {Id} ({Kind}): hint {Hint}, runs {Runtime}{Reason}", id, spec.NodeType, hint, executor.Runtime,
                    fallback is null ? string.Empty : $" ({fallback})");
            }
        }
        catch
        {
            foreach (var node in built)
            {
                node.Executor.Dispose();
            }
            instruments?.Dispose();
            throw;
        }
        var index = built.Select((n, i) => (n.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        foreach (var node in built)
        {
            node.Upstream = node.Info.Inputs.Select(i => index[i]).ToArray();
            node.Downstream = node.Info.Outputs.Select(o => index[o]).ToArray();
        }
        return new AudioPipeline(manifest, options, built.ToArray(), instruments);
    }

    /// <summary>
    /// A pipeline-wide "native" means native wherever a kind has a native implementation: kinds that exist only in
    /// C# (VADTriggeredBuffer, AudioBuffer, ...) run managed instead of failing the whole pipeline.
    /// </summary>
    private static RuntimeHint OverrideFor(RuntimeHint forced, string kind, RemoteMedia.Nodes.NodeRegistry registry) =>
        forced == RuntimeHint.Native && !(registry.TryGet(kind, out var info) && info.HasNative) ? RuntimeHint.Managed : forced;

    private static string? FallbackReason(INodeExecutor executor, RuntimeHint hint)
    {
        if (executor.Runtime == NodeRuntime.Native || hint == RuntimeHint.Managed)
        {
            return null;
        }
        return RemoteMediaRuntime.Status.IsNativeAvailable
            ? $"{executor.Kind} has no native implementation"
            : RemoteMediaRuntime.Status.Description;
    }

    /// <summary>Starts a stream in <paramref name="inputFormat"/>; outputs and events arrive through the callbacks as they are produced.</summary>
    public PipelineSession OpenSession(AudioFormat inputFormat, PipelineOutputHandler onOutput, PipelineEventHandler? onEvent = null)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(onOutput);
        if (Interlocked.Exchange(ref sessionOpen, 1) == 1)
        {
            throw new InvalidOperationException($"pipeline '{Id}' already has an open session; nodes are stateful, finish or dispose it first");
        }
        try
        {
            return new PipelineSession(this, inputFormat, onOutput, onEvent);
        }
        catch
        {
            Volatile.Write(ref sessionOpen, 0);
            throw;
        }
    }

    /// <summary>Runs a whole buffer through the pipeline, flushing every node at the end.</summary>
    public PipelineResult Run(AudioFormat format, ReadOnlySpan<byte> input)
    {
        var collector = new BatchCollector();
        using (var session = OpenSession(format, collector.OnOutput, collector.OnEvent))
        {
            session.Push(input);
            session.Finish();
            collector.DeclareFormats(session);
        }
        return collector.ToResult(OutputNodeId);
    }

    /// <summary>
    /// Runs a WAV file through the pipeline into a WAV file of the output node's format. The output is written to a
    /// temporary file and moved into place only on success: a failure leaves no half-written output.
    /// </summary>
    public void RunFile(string inputPath, string outputPath, Action<long, long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(inputPath);
        ArgumentNullException.ThrowIfNull(outputPath);
        using var reader = WavReader.Open(inputPath);
        var temp = outputPath + ".partial";
        try
        {
            using (var writer = new DeferredWavWriter(temp))
            using (var session = OpenSession(reader.Format, (id, chunk, data) =>
            {
                if (id == OutputNodeId)
                {
                    writer.Write(chunk.Format, data);
                }
            }))
            {
                writer.DefaultFormat = session.OutputFormatOf(OutputNodeId);
                var block = new byte[Options.MaxBlockFrames * reader.Format.BytesPerFrame];
                long done = 0;
                int read;
                while ((read = reader.Read(block)) > 0)
                {
                    session.Push(block.AsSpan(0, read));
                    done += read / reader.Format.BytesPerFrame;
                    progress?.Invoke(done, reader.TotalFrames);
                }
                session.Finish();
            }
            File.Move(temp, outputPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>The metrics in the original SDK's JSON shape, plus runtime, fallback reason, frames and histogram per node.</summary>
    public string GetMetrics() =>
        PipelineMetricsJson.Write(Id, Volatile.Read(ref executions), Volatile.Read(ref timedExecutions), Volatile.Read(ref durationTicks), NodeMetrics, Options);

    internal void SessionClosed() => Volatile.Write(ref sessionOpen, 0);

    internal void RecordExecution(bool timed, long ticks)
    {
        executions++;
        if (timed)
        {
            timedExecutions++;
            durationTicks += ticks;
        }
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }
        disposed = true;
        foreach (var node in nodes)
        {
            node.Executor.Dispose();
        }
        instruments?.Dispose();
    }

    /// <summary>Collects a batch run's outputs block by block.</summary>
    private sealed class BatchCollector
    {
        private readonly Dictionary<string, (AudioFormat Format, List<byte[]> Blocks)> sinks = new(StringComparer.Ordinal);
        private readonly List<PipelineEvent> events = [];

        public void OnOutput(string nodeId, AudioChunk chunk, ReadOnlySpan<byte> data)
        {
            if (!sinks.TryGetValue(nodeId, out var sink))
            {
                sinks[nodeId] = sink = (chunk.Format, []);
            }
            sink.Blocks.Add(data.ToArray());
        }

        public void OnEvent(string nodeId, NodeEvent nodeEvent) => events.Add(new PipelineEvent(nodeId, nodeEvent));

        public void DeclareFormats(PipelineSession session)
        {
            foreach (var id in session.SinkIds)
            {
                sinks.TryAdd(id, (session.OutputFormatOf(id), []));
            }
        }

        public PipelineResult ToResult(string outputNodeId)
        {
            var outputs = sinks.ToDictionary(s => s.Key, s => new SinkOutput(s.Value.Format, s.Value.Blocks), StringComparer.Ordinal);
            var primary = outputs[outputNodeId];
            return new PipelineResult(outputNodeId, primary.Format, primary.Concatenated(), outputs, events);
        }
    }

    /// <summary>Creates the WAV file at the first block, in that block's format (or the announced one if nothing comes).</summary>
    private sealed class DeferredWavWriter(string path) : IDisposable
    {
        private WavWriter? writer;

        public AudioFormat? DefaultFormat { get; set; }

        public void Write(AudioFormat format, ReadOnlySpan<byte> data)
        {
            writer ??= WavWriter.Create(path, format);
            writer.Write(data);
        }

        public void Dispose()
        {
            if (writer is null && DefaultFormat is { } format)
            {
                writer = WavWriter.Create(path, format);
            }
            writer?.Dispose();
        }
    }
}
