using System.Runtime.InteropServices;

namespace RemoteMedia.Nodes.Managed.Vad;

/// <summary>
/// The C# VADNode: the same algorithm, framing, events and errors as the native node, with
/// frame-by-frame identical decisions. Frames are cut from the stream, not from each call, so
/// decisions do not depend on chunking; the partial frame left at flush is not analyzed.
/// </summary>
internal sealed class ManagedVadNode : INodeExecutor, IVadStatistics
{
    public const string NodeKind = "VADNode";
    private const int MaxPendingEvents = 1 << 16;

    private readonly VadConfig config;
    private readonly Queue<NodeEvent> events = new();
    private StreamState? stream;
    private float[] pending = [];
    private int pendingCount;
    private float[] held = [];
    private long pendingStart;
    private bool inSpeech;
    private long speechStart;

    public ManagedVadNode(string? config) => this.config = VadConfig.Parse(config);

    public string Kind => NodeKind;

    public NodeRuntime Runtime => NodeRuntime.Managed;

    public double LatencyFrames => 0;

    public long SpeechFrames { get; private set; }

    public long TotalFrames { get; private set; }

    public bool IsSpeech => SpeechFrames > 0;

    public bool InSpeech => inSpeech;

    public long DroppedEvents { get; private set; }

    public OutputShape GetOutputShape(AudioFormat input, int inputFrames)
    {
        NodeGuards.ValidateFormat(input, NodeKind);
        RequireF32(input);
        CheckRate(input.SampleRate);
        return new OutputShape(input, MaxOutputFrames(inputFrames, input.SampleRate));
    }

    public AudioChunk Process(AudioFormat format, ReadOnlySpan<byte> input, Span<byte> output)
    {
        var frames = NodeGuards.WholeFrames(format, input.Length, NodeKind);
        var state = EnsureStream(format);
        var samples = MemoryMarshal.Cast<byte, float>(input);
        var channels = format.Channels;
        for (var i = 0; i < samples.Length; i++)
        {
            if (!float.IsFinite(samples[i]))
            {
                throw RemoteMediaException.InvalidArgument(
                    $"{NodeKind}: input sample {i} (frame {i / channels}, channel {i % channels}) is {Describe(samples[i])}; the block was not consumed");
            }
        }
        var capacity = MaxOutputFrames(frames, format.SampleRate);
        NodeGuards.EnsureCapacity(capacity * format.BytesPerFrame, output.Length, format, NodeKind);
        var outSamples = MemoryMarshal.Cast<byte, float>(output);
        var written = 0;
        if (!config.GateAudio)
        {
            samples.CopyTo(outSamples);
            written = frames;
        }
        var frameLength = state.FrameLength;
        var index = 0;
        while (index < frames)
        {
            var take = Math.Min(frameLength - pendingCount, frames - index);
            var block = samples.Slice(index * channels, take * channels);
            if (channels == 1)
            {
                block.CopyTo(pending.AsSpan(pendingCount));
            }
            else
            {
                for (var f = 0; f < take; f++)
                {
                    var sum = 0.0;
                    foreach (var s in block.Slice(f * channels, channels))
                    {
                        sum += s;
                    }
                    pending[pendingCount + f] = (float)(sum / channels);
                }
            }
            if (config.GateAudio)
            {
                block.CopyTo(held.AsSpan(pendingCount * channels));
            }
            pendingCount += take;
            index += take;
            if (pendingCount == frameLength)
            {
                var frameStart = pendingStart;
                var speech = state.Detector.Decide(pending);
                Record(speech, frameStart, format.SampleRate);
                if (config.GateAudio && speech)
                {
                    held.AsSpan(0, frameLength * channels).CopyTo(outSamples.Slice(written * channels));
                    written += frameLength;
                }
                pendingCount = 0;
                pendingStart = frameStart + frameLength;
            }
        }
        return new AudioChunk(written, format);
    }

    public AudioChunk Flush(Span<byte> output)
    {
        if (stream is not { } state)
        {
            return new AudioChunk(0, AudioFormat.F32(0, 1));
        }
        var format = AudioFormat.F32(state.Rate, state.Channels);
        // The partial frame is not analyzed; when gating inside an utterance it still belongs to it.
        var tail = config.GateAudio && inSpeech ? pendingCount : 0;
        NodeGuards.EnsureCapacity(tail * format.BytesPerFrame, output.Length, format, NodeKind);
        held.AsSpan(0, tail * state.Channels).CopyTo(MemoryMarshal.Cast<byte, float>(output));
        if (inSpeech)
        {
            EndUtterance(pendingStart, state.Rate);
        }
        pendingStart += pendingCount;
        pendingCount = 0;
        return new AudioChunk(tail, format);
    }

    public void Reset()
    {
        stream = null;
        pendingCount = 0;
        pendingStart = 0;
        inSpeech = false;
        speechStart = 0;
        SpeechFrames = 0;
        TotalFrames = 0;
        events.Clear();
        DroppedEvents = 0;
    }

    public int ReadEvents(Span<NodeEvent> destination)
    {
        var count = Math.Min(destination.Length, events.Count);
        for (var i = 0; i < count; i++)
        {
            destination[i] = events.Dequeue();
        }
        return count;
    }

    /// <summary>The same numeric properties as the native node's <c>rm_node_get_property</c>.</summary>
    public double? GetProperty(string name, double arg) => name switch
    {
        "latency_frames" => 0,
        "speech_frames" => SpeechFrames,
        "total_frames" => TotalFrames,
        "is_speech" => IsSpeech ? 1 : 0,
        "in_speech" => inSpeech ? 1 : 0,
        "dropped_events" => DroppedEvents,
        "frame_samples" => config.FrameSamples((int)arg),
        "max_output_frames" => MaxOutputFrames((int)arg, stream?.Rate ?? 48000),
        _ => null,
    };

    public void Dispose()
    {
    }

    private static string Describe(float value) => float.IsNaN(value) ? "NaN" : value > 0 ? "inf" : "-inf";

    private static void RequireF32(AudioFormat format)
    {
        if (format.Sample != SampleFormat.F32)
        {
            throw new RemoteMediaException(ErrorCode.UnsupportedFormat,
                $"{NodeKind} takes f32 samples, got {format.Sample.Name()}; put a FormatConverterNode before it");
        }
    }

    private static void CheckRate(int rate)
    {
        if (Array.IndexOf(VadConfig.SupportedRates, rate) < 0)
        {
            throw new RemoteMediaException(ErrorCode.UnsupportedFormat,
                $"{NodeKind}: sample rate {rate} Hz is not supported; use 8000, 16000, 32000 or 48000 (put an AudioResampleNode before it)");
        }
    }

    private StreamState EnsureStream(AudioFormat format)
    {
        RequireF32(format);
        CheckRate(format.SampleRate);
        if (stream is { } existing)
        {
            if (existing.Rate != format.SampleRate || existing.Channels != format.Channels)
            {
                throw new RemoteMediaException(ErrorCode.StreamMismatch,
                    $"{NodeKind}: stream started as {existing.Rate} Hz, {existing.Channels} ch but this block is {format.SampleRate} Hz, {format.Channels} ch; reset the node to change format");
            }
            return existing;
        }
        IVadDetector detector = config.Mode == VadMode.Energy
            ? new EnergyVadDetector(config.EnergyThreshold)
            : new SpectralVadDetector(format.SampleRate, config.FrameDurationMs, config.Aggressiveness, config.HangoverMs);
        var frameLength = config.FrameSamples(format.SampleRate);
        pending = new float[frameLength];
        held = config.GateAudio ? new float[frameLength * format.Channels] : [];
        stream = new StreamState(format.SampleRate, format.Channels, frameLength, detector);
        return stream;
    }

    private int MaxOutputFrames(int inputFrames, int rate) =>
        config.GateAudio ? inputFrames + config.FrameSamples(rate) : inputFrames;

    private void PushEvent(NodeEventKind kind, long frame, double value)
    {
        if (events.Count == MaxPendingEvents)
        {
            events.Dequeue();
            DroppedEvents++;
        }
        events.Enqueue(new NodeEvent(kind, frame, value));
    }

    private void Record(bool speech, long frameStart, int rate)
    {
        TotalFrames++;
        PushEvent(NodeEventKind.VoiceActivity, frameStart, speech ? 1.0 : 0.0);
        if (speech)
        {
            SpeechFrames++;
            if (!inSpeech)
            {
                inSpeech = true;
                speechStart = frameStart;
                PushEvent(NodeEventKind.SpeechStart, frameStart, 0.0);
            }
        }
        else if (inSpeech)
        {
            EndUtterance(frameStart, rate);
        }
    }

    private void EndUtterance(long end, int rate)
    {
        inSpeech = false;
        PushEvent(NodeEventKind.SpeechEnd, end, (double)(end - speechStart) / rate);
    }

    private sealed record StreamState(int Rate, int Channels, int FrameLength, IVadDetector Detector);
}
