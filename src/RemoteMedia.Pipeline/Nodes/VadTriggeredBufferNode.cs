using System.Buffers;
using RemoteMedia.Nodes;

namespace RemoteMedia.Pipeline.Nodes;

/// <summary>
/// <c>VADTriggeredBuffer</c>: utterance segmentation driven by an upstream voice activity detector. It buffers
/// audio while speech is active and emits one block per utterance: the <c>pre_speech_buffer_s</c> of audio
/// before the speech started, the speech, and the trailing silence that ended it (<c>silence_duration_s</c>).
/// Utterances with less than <c>min_speech_duration_s</c> of speech are dropped; one reaching
/// <c>max_speech_duration_s</c> is emitted at once and a new one starts if speech goes on.
/// <para>
/// Decisions come from upstream events (<see cref="NodeEventKind.VoiceActivity"/> value 1/0, SpeechStart,
/// SpeechEnd), each applying from its <see cref="NodeEvent.Frame"/> on. Frames count this node's input since
/// reset, so the detector must see the same audio timeline: connect it after a VADNode that does not gate, with
/// no rate change in between. Without any events everything is silence and nothing is emitted.
/// </para>
/// <para>
/// A detector decides after it has seen a whole analysis frame, so a speech start can arrive after some of its
/// audio has gone by. The pre-roll keeps up to one extra second for that: the utterance starts
/// <c>pre_speech_buffer_s</c> before the onset frame the detector reported, not before the moment it reported it.
/// </para>
/// </summary>
public sealed class VadTriggeredBufferNode : INodeExecutor, IUpstreamEventConsumer, IPendingOutput
{
    public const string NodeKind = "VADTriggeredBuffer";
    private readonly double minSpeechSeconds;
    private readonly double maxSpeechSeconds;
    private readonly double silenceSeconds;
    private readonly double preSpeechSeconds;
    private readonly List<(long Frame, bool Speech)> changes = new(256);
    private readonly Queue<(byte[] Buffer, int Bytes)> completed = new();
    private int nextChange;
    private bool speech;
    private long onsetFrame = -1;
    private long position;
    private AudioFormat? format;
    private Timeline timeline;
    private byte[] preRoll = [];
    private int preRollStart;
    private int preRollBytes;
    private byte[] utterance = [];
    private int utteranceBytes;
    private bool inUtterance;
    private long utteranceFrames;
    private long speechFrames;
    private long silenceFrames;

    public VadTriggeredBufferNode(string? config = null)
    {
        var p = NodeParams.Parse(NodeKind, config);
        minSpeechSeconds = p.Number("min_speech_duration_s", 0, 3600, 0.5);
        maxSpeechSeconds = p.Number("max_speech_duration_s", 0.01, 3600, 10.0);
        silenceSeconds = p.Number("silence_duration_s", 0, 60, 0.5);
        preSpeechSeconds = p.Number("pre_speech_buffer_s", 0, 60, 0.3);
        p.Finish();
        if (maxSpeechSeconds < minSpeechSeconds)
        {
            throw new RemoteMediaException(ErrorCode.InvalidConfig,
                $"{NodeKind}: parameter 'max_speech_duration_s' ({maxSpeechSeconds}) must be at least min_speech_duration_s ({minSpeechSeconds})");
        }
    }

    public string Kind => NodeKind;

    public NodeRuntime Runtime => NodeRuntime.Managed;

    public double LatencyFrames => 0;

    public bool HasPendingOutput => completed.Count > 0;

    /// <summary>Utterances emitted since the last reset.</summary>
    public int UtteranceCount { get; private set; }

    public OutputShape GetOutputShape(AudioFormat input, int inputFrames)
    {
        NodeInput.WholeFrames(input, 0, NodeKind);
        var t = Timeline.For(input, this);
        return new OutputShape(input, checked((int)(t.PreFrames + t.LagFrames + t.MaxFrames)));
    }

    public void OnUpstreamEvents(ReadOnlySpan<NodeEvent> events)
    {
        foreach (var e in events)
        {
            switch (e.Kind)
            {
                case NodeEventKind.VoiceActivity: changes.Add((e.Frame, e.Value >= 0.5)); break;
                case NodeEventKind.SpeechStart: changes.Add((e.Frame, true)); break;
                case NodeEventKind.SpeechEnd: changes.Add((e.Frame, false)); break;
            }
        }
    }

    public AudioChunk Process(AudioFormat format, ReadOnlySpan<byte> input, Span<byte> output)
    {
        var frames = NodeInput.WholeFrames(format, input.Length, NodeKind);
        NodeInput.EnsureSameStream(this.format, format, NodeKind);
        if (this.format is null)
        {
            Start(format);
        }
        var frameBytes = format.BytesPerFrame;
        var offset = 0;
        while (offset < frames)
        {
            // Apply every decision that starts at or before this frame, then run up to the next one.
            while (nextChange < changes.Count && changes[nextChange].Frame <= position)
            {
                var change = changes[nextChange++];
                if (change.Speech && !speech)
                {
                    onsetFrame = change.Frame;
                }
                speech = change.Speech;
            }
            if (nextChange == changes.Count && nextChange > 0)
            {
                changes.Clear();
                nextChange = 0;
            }
            var run = frames - offset;
            if (nextChange < changes.Count)
            {
                run = (int)Math.Min(run, changes[nextChange].Frame - position);
            }
            Consume(input.Slice(offset * frameBytes, run * frameBytes), run);
            offset += run;
            position += run;
        }
        return HasPendingOutput ? DrainPending(output) : new AudioChunk(0, format);
    }

    public AudioChunk DrainPending(Span<byte> output)
    {
        if (format is not { } f || !completed.TryDequeue(out var item))
        {
            return default;
        }
        try
        {
            NodeInput.EnsureCapacity(item.Bytes, output.Length, NodeKind);
            item.Buffer.AsSpan(0, item.Bytes).CopyTo(output);
            return new AudioChunk(item.Bytes / f.BytesPerFrame, f);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(item.Buffer);
        }
    }

    /// <summary>End of stream: an utterance in progress is emitted if it holds enough speech.</summary>
    public AudioChunk Flush(Span<byte> output)
    {
        if (inUtterance)
        {
            EndUtterance();
        }
        return DrainPending(output);
    }

    public void Reset()
    {
        while (completed.TryDequeue(out var item))
        {
            ArrayPool<byte>.Shared.Return(item.Buffer);
        }
        changes.Clear();
        nextChange = 0;
        speech = false;
        onsetFrame = -1;
        position = 0;
        format = null;
        inUtterance = false;
        preRollBytes = preRollStart = utteranceBytes = 0;
        UtteranceCount = 0;
    }

    public int ReadEvents(Span<NodeEvent> events) => 0;

    public void Dispose() => Reset();

    private void Start(AudioFormat format)
    {
        this.format = format;
        timeline = Timeline.For(format, this);
        preRoll = new byte[(timeline.PreFrames + timeline.LagFrames) * format.BytesPerFrame];
        // Sized for the pre-roll plus a second of speech, not for max_speech_duration_s: a server holds one of these per
        // caller, most callers say short things, and it grows (by doubling, a few times per stream at most) when one talks longer.
        utterance = new byte[(timeline.PreFrames + timeline.LagFrames + Math.Min(timeline.MaxFrames, format.SampleRate)) * format.BytesPerFrame];
    }

    private void EnsureUtteranceCapacity(int bytes)
    {
        if (bytes > utterance.Length)
        {
            var most = checked((int)((timeline.PreFrames + timeline.LagFrames + timeline.MaxFrames) * format!.Value.BytesPerFrame));
            Array.Resize(ref utterance, Math.Min(most, Math.Max(bytes, utterance.Length * 2)));
        }
    }

    private void Consume(ReadOnlySpan<byte> run, int frames)
    {
        var frameBytes = run.Length / Math.Max(frames, 1);
        while (frames > 0)
        {
            if (!inUtterance)
            {
                if (!speech)
                {
                    PushPreRoll(run);
                    return;
                }
                BeginUtterance(frameBytes);
            }
            var take = (int)Math.Min(frames, timeline.MaxFrames - utteranceFrames);
            if (!speech)
            {
                take = (int)Math.Min(take, Math.Max(1, timeline.SilenceFrames - silenceFrames));
            }
            EnsureUtteranceCapacity(utteranceBytes + take * frameBytes);
            run[..(take * frameBytes)].CopyTo(utterance.AsSpan(utteranceBytes));
            utteranceBytes += take * frameBytes;
            utteranceFrames += take;
            if (speech)
            {
                speechFrames += take;
                silenceFrames = 0;
            }
            else
            {
                silenceFrames += take;
            }
            run = run[(take * frameBytes)..];
            frames -= take;
            if ((!speech && silenceFrames >= timeline.SilenceFrames) || utteranceFrames >= timeline.MaxFrames)
            {
                EndUtterance();
            }
        }
    }

    private void BeginUtterance(int frameBytes)
    {
        // Keep pre_speech_buffer_s before the reported onset: the frames since the onset went into the ring too.
        var lag = onsetFrame >= 0 ? Math.Clamp(position - onsetFrame, 0, timeline.LagFrames) : 0;
        onsetFrame = -1;
        var keep = (int)Math.Min(preRollBytes, (timeline.PreFrames + lag) * frameBytes);
        var skip = preRollBytes - keep;
        for (var copied = 0; copied < keep;)
        {
            var from = (preRollStart + skip + copied) % preRoll.Length;
            var piece = Math.Min(keep - copied, preRoll.Length - from);
            preRoll.AsSpan(from, piece).CopyTo(utterance.AsSpan(copied));
            copied += piece;
        }
        utteranceBytes = keep;
        preRollBytes = preRollStart = 0;
        inUtterance = true;
        utteranceFrames = speechFrames = silenceFrames = 0;
    }

    private void EndUtterance()
    {
        inUtterance = false;
        if (speechFrames > 0 && speechFrames >= timeline.MinSpeechFrames)
        {
            var copy = ArrayPool<byte>.Shared.Rent(utteranceBytes);
            utterance.AsSpan(0, utteranceBytes).CopyTo(copy);
            completed.Enqueue((copy, utteranceBytes));
            UtteranceCount++;
        }
        utteranceBytes = 0;
    }

    private void PushPreRoll(ReadOnlySpan<byte> data)
    {
        var capacity = preRoll.Length;
        if (capacity == 0)
        {
            return;
        }
        if (data.Length >= capacity)
        {
            data[^capacity..].CopyTo(preRoll);
            preRollStart = 0;
            preRollBytes = capacity;
            return;
        }
        var write = (preRollStart + preRollBytes) % capacity;
        var first = Math.Min(data.Length, capacity - write);
        data[..first].CopyTo(preRoll.AsSpan(write));
        data[first..].CopyTo(preRoll);
        var overflow = Math.Max(0, preRollBytes + data.Length - capacity);
        preRollBytes = Math.Min(capacity, preRollBytes + data.Length);
        preRollStart = (preRollStart + overflow) % capacity;
    }

    /// <summary>The durations in frames at the stream's rate.</summary>
    private readonly record struct Timeline(long MinSpeechFrames, long MaxFrames, long SilenceFrames, int PreFrames, int LagFrames)
    {
        public static Timeline For(AudioFormat format, VadTriggeredBufferNode node) => new(
            (long)Math.Round(node.minSpeechSeconds * format.SampleRate),
            Math.Max(1, (long)Math.Round(node.maxSpeechSeconds * format.SampleRate)),
            Math.Max(1, (long)Math.Round(node.silenceSeconds * format.SampleRate)),
            (int)Math.Round(node.preSpeechSeconds * format.SampleRate),
            format.SampleRate);
    }
}
