using System.Buffers;
using System.Diagnostics;
using System.Runtime.InteropServices;
using RemoteMedia.Pipeline.Execution;

namespace RemoteMedia.Pipeline;

/// <summary>
/// A running stream through a pipeline: <see cref="Push(ReadOnlySpan{byte})"/> blocks of input as they arrive, receive each sink's
/// output through the callback as soon as it is produced, then <see cref="Finish"/> to flush every node (in
/// topological order, so tails travel downstream). Buffers are rented once, sized by each node's
/// <see cref="INodeExecutor.GetOutputShape"/>, so pushing does not allocate. Not thread-safe: push from one thread.
/// <para>
/// Execution is depth-first: a node's output block is delivered to each downstream node (in connection order)
/// before the node runs again. Events a node raises are passed to the event callback and forwarded to downstream
/// <see cref="Nodes.IUpstreamEventConsumer"/>s before the block's audio reaches them.
/// </para>
/// </summary>
public sealed class PipelineSession : IDisposable
{
    private const int EventBatch = 128;
    private readonly AudioPipeline pipeline;
    private readonly PipelineNode[] graph;
    private readonly Slot[] slots;
    private readonly int[] sources;
    private readonly PipelineOutputHandler onOutput;
    private readonly PipelineEventHandler? onEvent;
    private readonly NodeEvent[] eventBuffer = new NodeEvent[EventBatch];
    private readonly bool metrics;
    private readonly int maxBlockFrames;
    private readonly int timingInterval;
    private long executionCounter;
    private bool timed;
    private long mark;
    private Exception? failure;
    private bool finished;
    private bool disposed;

    internal PipelineSession(AudioPipeline pipeline, AudioFormat inputFormat, PipelineOutputHandler onOutput, PipelineEventHandler? onEvent)
    {
        this.pipeline = pipeline;
        graph = pipeline.Graph;
        this.onOutput = onOutput;
        this.onEvent = onEvent;
        metrics = pipeline.Options.EnableMetrics;
        maxBlockFrames = pipeline.Options.MaxBlockFrames;
        timingInterval = Math.Max(1, pipeline.Options.TimingSampleInterval);
        InputFormat = inputFormat;
        slots = new Slot[graph.Length];
        sources = Enumerable.Range(0, graph.Length).Where(i => graph[i].IsSource).ToArray();
        try
        {
            Prepare(inputFormat);
        }
        catch
        {
            ReturnBuffers();
            throw;
        }
    }

    public AudioFormat InputFormat { get; }

    /// <summary>The sink nodes (plus the chosen output node) whose blocks reach the output callback.</summary>
    public IEnumerable<string> SinkIds => graph.Where((n, i) => slots[i].Delivers).Select(n => n.Id);

    /// <summary>The format a node produces for this stream, as it announced it when the session opened.</summary>
    public AudioFormat OutputFormatOf(string nodeId)
    {
        var index = Array.FindIndex(graph, n => n.Id == nodeId);
        return index >= 0 ? slots[index].Shape.Format : throw new ArgumentException($"no node '{nodeId}'", nameof(nodeId));
    }

    /// <summary>Pushes interleaved input in <see cref="InputFormat"/>; blocks larger than MaxBlockFrames are split.</summary>
    public void Push(ReadOnlySpan<byte> input)
    {
        EnsureRunning();
        var frameBytes = InputFormat.BytesPerFrame;
        if (input.Length % frameBytes != 0)
        {
            throw new ArgumentException($"{input.Length} bytes is not a whole number of {frameBytes}-byte frames ({InputFormat})", nameof(input));
        }
        var blockBytes = maxBlockFrames * frameBytes;
        while (!input.IsEmpty)
        {
            var block = input[..Math.Min(blockBytes, input.Length)];
            input = input[block.Length..];
            PushBlock(block);
        }
    }

    /// <summary>Pushes interleaved f32 samples (the input format must be f32).</summary>
    public void Push(ReadOnlySpan<float> samples) => Push(MemoryMarshal.AsBytes(samples));

    /// <summary>Ends the stream: flushes every node in topological order and delivers the tails.</summary>
    public void Finish()
    {
        EnsureRunning();
        var start = BeginExecution(alwaysTime: true);
        try
        {
            for (var i = 0; i < graph.Length; i++)
            {
                if (slots[i].Mixer is { } mixer)
                {
                    RunMixer(i, mixer, endOfStream: true);
                }
                FlushNode(i);
            }
            finished = true;
        }
        catch (Exception ex)
        {
            failure = ex;
            throw;
        }
        finally
        {
            EndExecution(start);
        }
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }
        disposed = true;
        ReturnBuffers();
        pipeline.SessionClosed();
    }

    private void PushBlock(ReadOnlySpan<byte> block)
    {
        var start = BeginExecution(alwaysTime: false);
        try
        {
            foreach (var source in sources)
            {
                ProcessNode(source, block, InputFormat);
            }
        }
        catch (Exception ex)
        {
            failure = ex;
            throw;
        }
        finally
        {
            EndExecution(start);
        }
    }

    private void EnsureRunning()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (failure is not null)
        {
            throw new InvalidOperationException($"the session failed earlier: {failure.Message}", failure);
        }
        if (finished)
        {
            throw new InvalidOperationException("the session is finished; open a new one");
        }
    }

    /// <summary>Resets every node, then walks the graph in topological order to size each node's output buffer.</summary>
    private void Prepare(AudioFormat inputFormat)
    {
        for (var i = 0; i < graph.Length; i++)
        {
            var node = graph[i];
            node.Executor.Reset();
            AudioFormat format;
            int frames;
            if (node.IsSource)
            {
                (format, frames) = (inputFormat, maxBlockFrames);
            }
            else
            {
                var first = slots[node.Upstream[0]].Shape;
                (format, frames) = (first.Format, first.MaxFrames);
                if (node.Upstream.Length > 1)
                {
                    foreach (var up in node.Upstream)
                    {
                        var shape = slots[up].Shape;
                        if (shape.Format != format)
                        {
                            throw PipelineErrors.NodeConfig(node.Id, node.Info.Kind, new RemoteMediaException(ErrorCode.UnsupportedFormat,
                                $"fan-in needs one format on every input: '{graph[node.Upstream[0]].Id}' gives {format}, '{graph[up].Id}' gives {shape.Format}"));
                        }
                        frames = Math.Max(frames, shape.MaxFrames);
                    }
                    slots[i].Mixer = new FanInMixer(node.Upstream.Length, format, frames);
                }
            }
            OutputShape output;
            try
            {
                output = node.Executor.GetOutputShape(format, frames);
            }
            catch (Exception ex)
            {
                throw PipelineErrors.NodeFailed(pipeline.Id, node.Id, node.Info.Kind, $"GetOutputShape({format})", ex);
            }
            slots[i].Shape = output;
            slots[i].Output = ArrayPool<byte>.Shared.Rent(Math.Max(1, output.MaxBytes));
            slots[i].Delivers = node.IsSink || node.Id == pipeline.OutputNodeId;
            slots[i].MixerInputOf = node.Downstream.Select(d => Array.IndexOf(graph[d].Upstream, i)).ToArray();
        }
    }

    private void ProcessNode(int index, ReadOnlySpan<byte> input, AudioFormat format)
    {
        var node = graph[index];
        AudioChunk chunk;
        try
        {
            chunk = node.Executor.Process(format, input, slots[index].Output);
        }
        catch (Exception ex)
        {
            RecordCall(node, input.Length / format.BytesPerFrame, 0, failed: true);
            throw PipelineErrors.NodeFailed(pipeline.Id, node.Id, node.Info.Kind, "process", ex);
        }
        RecordCall(node, input.Length / format.BytesPerFrame, chunk.Frames, failed: false);
        AfterCall(index, chunk);
    }

    private void FlushNode(int index)
    {
        var node = graph[index];
        AudioChunk chunk;
        try
        {
            chunk = node.Executor.Flush(slots[index].Output);
        }
        catch (Exception ex)
        {
            RecordCall(node, 0, 0, failed: true);
            throw PipelineErrors.NodeFailed(pipeline.Id, node.Id, node.Info.Kind, "flush", ex);
        }
        RecordCall(node, 0, chunk.Frames, failed: false);
        AfterCall(index, chunk);
    }

    /// <summary>
    /// One clock read per node call: the call's time runs from the previous mark (the end of the previous node call,
    /// or the start of the push) to now, so it includes the pipeline's hand-off into the node. Reading the clock once
    /// instead of twice halves the cost where the clock is slow (about 100 ns per read on some VMs).
    /// </summary>
    private void RecordCall(PipelineNode node, int framesIn, int framesOut, bool failed)
    {
        if (!metrics)
        {
            return;
        }
        if (timed)
        {
            var now = Stopwatch.GetTimestamp();
            node.Metrics.Record(now - mark, framesIn, framesOut, failed);
            mark = now;
        }
        else
        {
            node.Metrics.Count(framesIn, framesOut, failed);
        }
    }

    /// <summary>Starts a push or the finish: decides whether it is timed and sets the first mark.</summary>
    private long BeginExecution(bool alwaysTime)
    {
        timed = metrics && (alwaysTime || executionCounter++ % timingInterval == 0);
        return mark = timed ? Stopwatch.GetTimestamp() : 0;
    }

    private void EndExecution(long start) => pipeline.RecordExecution(timed, timed ? mark - start : 0);

    /// <summary>Events first, then the block, then any further blocks the node has ready.</summary>
    private void AfterCall(int index, AudioChunk chunk)
    {
        ForwardEvents(index);
        Emit(index, chunk);
        var node = graph[index];
        while (node.Pending is { HasPendingOutput: true } pending)
        {
                AudioChunk more;
            try
            {
                more = pending.DrainPending(slots[index].Output);
            }
            catch (Exception ex)
            {
                RecordCall(node, 0, 0, failed: true);
                throw PipelineErrors.NodeFailed(pipeline.Id, node.Id, node.Info.Kind, "drain", ex);
            }
            RecordCall(node, 0, more.Frames, failed: false);
            Emit(index, more);
        }
    }

    private void Emit(int index, AudioChunk chunk)
    {
        if (chunk.Frames == 0)
        {
            return;
        }
        var data = slots[index].Output.AsSpan(0, chunk.ByteCount);
        if (slots[index].Delivers)
        {
            onOutput(graph[index].Id, chunk, data);
        }
        var downstream = graph[index].Downstream;
        for (var d = 0; d < downstream.Length; d++)
        {
            var target = downstream[d];
            if (slots[target].Mixer is { } mixer)
            {
                mixer.Append(slots[index].MixerInputOf[d], chunk.Format, data);
                RunMixer(target, mixer, endOfStream: false);
            }
            else
            {
                ProcessNode(target, data, chunk.Format);
            }
        }
    }

    private void RunMixer(int index, FanInMixer mixer, bool endOfStream)
    {
        while (true)
        {
            var block = mixer.NextBlock(endOfStream);
            if (block.IsEmpty)
            {
                return;
            }
            ProcessNode(index, block, mixer.Format);
        }
    }

    private void ForwardEvents(int index)
    {
        var node = graph[index];
        while (true)
        {
            int count;
            try
            {
                count = node.Executor.ReadEvents(eventBuffer);
            }
            catch (Exception ex)
            {
                throw PipelineErrors.NodeFailed(pipeline.Id, node.Id, node.Info.Kind, "read events", ex);
            }
            if (count == 0)
            {
                return;
            }
            var events = eventBuffer.AsSpan(0, count);
            if (onEvent is not null)
            {
                foreach (var e in events)
                {
                    onEvent(node.Id, e);
                }
            }
            Deliver(index, events);
            if (count < eventBuffer.Length)
            {
                return;
            }
        }
    }

    /// <summary>Events travel down the graph until they reach a consumer; other nodes pass them through.</summary>
    private void Deliver(int index, ReadOnlySpan<NodeEvent> events)
    {
        foreach (var target in graph[index].Downstream)
        {
            if (graph[target].EventConsumer is { } consumer)
            {
                consumer.OnUpstreamEvents(events);
            }
            else
            {
                Deliver(target, events);
            }
        }
    }

    private void ReturnBuffers()
    {
        foreach (ref var slot in slots.AsSpan())
        {
            if (slot.Output is { Length: > 0 } buffer)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            slot.Output = [];
        }
    }

    /// <summary>Per-node state of this stream.</summary>
    private struct Slot
    {
        public OutputShape Shape;
        public byte[] Output;
        public FanInMixer? Mixer;
        public bool Delivers;
        public int[] MixerInputOf;
    }
}
