using RemoteMedia.Interop;

namespace RemoteMedia.Nodes.Native;

/// <summary>Any native node kind, driven through the one generic C ABI.</summary>
internal sealed unsafe class NativeNode : INodeExecutor
{
    private const int EventBatch = 64;
    private readonly SafeNodeHandle handle;

    public NativeNode(string kind, string config)
    {
        Kind = kind;
        handle = SafeNodeHandle.Create(kind, config);
    }

    public string Kind { get; }

    public NodeRuntime Runtime => NodeRuntime.Native;

    public double LatencyFrames => GetProperty("latency_frames", 0);

    public double GetProperty(string name, double arg)
    {
        var nameBytes = SafeNodeHandle.Utf8Z(name);
        double value;
        int status;
        using var lease = Lease();
        fixed (byte* n = nameBytes)
        {
            status = NativeMethods.rm_node_get_property(handle.Node, n, arg, &value);
        }
        NativeErrors.ThrowIfFailed(status, nameof(NativeMethods.rm_node_get_property));
        return value;
    }

    public OutputShape GetOutputShape(AudioFormat input, int inputFrames)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputFrames);
        var request = Describe(input, inputFrames, null);
        RmAudio shape;
        int status;
        using (Lease())
        {
            status = NativeMethods.rm_node_output_shape(handle.Node, &request, &shape);
        }
        NativeErrors.ThrowIfFailed(status, nameof(NativeMethods.rm_node_output_shape));
        return new OutputShape(new AudioFormat((int)shape.sample_rate, shape.channels, (SampleFormat)shape.format), (int)shape.frames);
    }

    public AudioChunk Process(AudioFormat format, ReadOnlySpan<byte> input, Span<byte> output)
    {
        var frames = NodeGuards.WholeFrames(format, input.Length, Kind);
        int status;
        RmAudio result;
        using (Lease())
        {
            fixed (byte* inPtr = input)
            fixed (byte* outPtr = output)
            {
                var request = Describe(format, frames, inPtr);
                result = Capacity(outPtr, output.Length);
                status = NativeMethods.rm_node_process(handle.Node, &request, &result);
            }
        }
        NativeErrors.ThrowIfFailed(status, nameof(NativeMethods.rm_node_process));
        return ToChunk(result);
    }

    public AudioChunk Flush(Span<byte> output)
    {
        int status;
        RmAudio result;
        using (Lease())
        {
            fixed (byte* outPtr = output)
            {
                result = Capacity(outPtr, output.Length);
                status = NativeMethods.rm_node_flush(handle.Node, &result);
            }
        }
        NativeErrors.ThrowIfFailed(status, nameof(NativeMethods.rm_node_flush));
        return ToChunk(result);
    }

    public void Reset()
    {
        int status;
        using (Lease())
        {
            status = NativeMethods.rm_node_reset(handle.Node);
        }
        NativeErrors.ThrowIfFailed(status, nameof(NativeMethods.rm_node_reset));
    }

    public int ReadEvents(Span<NodeEvent> events)
    {
        var raw = stackalloc RmEvent[EventBatch];
        var total = 0;
        using var lease = Lease();
        while (total < events.Length)
        {
            uint written;
            var want = (uint)Math.Min(EventBatch, events.Length - total);
            NativeErrors.ThrowIfFailed(NativeMethods.rm_node_read_events(handle.Node, raw, want, &written), nameof(NativeMethods.rm_node_read_events));
            for (var i = 0; i < (int)written; i++)
            {
                events[total++] = new NodeEvent((NodeEventKind)raw[i].kind, (long)raw[i].frame, raw[i].value);
            }
            if (written < want)
            {
                break;
            }
        }
        return total;
    }

    public void Dispose() => handle.Dispose();

    private static RmAudio Describe(AudioFormat format, int frames, byte* data) => new()
    {
        data = data,
        frames = (uint)frames,
        channels = checked((ushort)format.Channels),
        format = (ushort)format.Sample,
        sample_rate = checked((uint)format.SampleRate),
    };

    // The ABI measures output capacity in frames of the declared layout: 16-bit mono makes it bytes / 2.
    private static RmAudio Capacity(byte* data, int bytes) => new()
    {
        data = data,
        frames = (uint)(bytes / 2),
        channels = 1,
        format = (ushort)SampleFormat.S16,
    };

    private static AudioChunk ToChunk(in RmAudio result) =>
        new((int)result.frames, new AudioFormat((int)result.sample_rate, result.channels, (SampleFormat)result.format));

    private HandleLease Lease()
    {
        ObjectDisposedException.ThrowIf(handle.IsClosed, this);
        return new HandleLease(handle);
    }

    /// <summary>Keeps the handle alive (and un-released) for the duration of a native call.</summary>
    private readonly struct HandleLease : IDisposable
    {
        private readonly SafeNodeHandle handle;

        public HandleLease(SafeNodeHandle handle)
        {
            var added = false;
            handle.DangerousAddRef(ref added);
            this.handle = handle;
        }

        public void Dispose() => handle.DangerousRelease();
    }
}
