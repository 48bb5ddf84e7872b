namespace RemoteMedia.Nodes.Managed.Resample;

/// <summary>
/// Streaming state of the managed resampler, a port of stream.rs: per-channel input history, the
/// absolute stream position, and the bookkeeping that makes output independent of input chunking.
/// Output n is the filter at input time n * step / phases (time-aligned); it is emitted once its whole
/// window has arrived, and flush feeds zeros and stops at exactly round(received * out / in) outputs.
/// </summary>
internal sealed class ResampleStream
{
    /// <summary>Input frames appended per inner step; bounds the history (no allocation while streaming).</summary>
    private const int ChunkFrames = 4096;

    private readonly float[] coefficients;
    private readonly int phases;
    private readonly int step;
    private readonly int capacity;
    private readonly float[] history;
    private int held;
    private long heldStart;
    private long received;
    private long emitted;

    public ResampleStream(int inputRate, int outputRate, ResampleQuality quality, int channels)
    {
        (phases, step) = ResampleDesign.ReducedRatio(inputRate, outputRate);
        Taps = ResampleDesign.TapsPerOutput(inputRate, outputRate, quality);
        coefficients = ResampleDesign.SharedCoefficients(inputRate, outputRate, quality);
        InputRate = inputRate;
        Channels = channels;
        capacity = Taps + ChunkFrames;
        history = new float[capacity * channels];
        Reset();
    }

    public int InputRate { get; }

    public int Channels { get; }

    public int Taps { get; }

    /// <summary>Output frames held back: the filter's half-length in output frames.</summary>
    public double LatencyFrames => Taps / 2 * (double)phases / step;

    public void Reset()
    {
        var lead = Taps / 2 - 1;
        for (var c = 0; c < Channels; c++)
        {
            history.AsSpan(c * capacity, lead).Clear();
        }
        held = lead;
        heldStart = -lead;
        received = 0;
        emitted = 0;
    }

    private long Base(long n) => (long)((UInt128)(ulong)n * (ulong)step / (ulong)phases);

    private long WindowStart(long n) => Base(n) - Taps / 2 + 1;

    private long ReadyAfter(long receivedFrames)
    {
        var lastUsable = receivedFrames - 1 - Taps / 2;
        if (lastUsable < 0)
        {
            return 0;
        }
        return (long)((((UInt128)(ulong)(lastUsable + 1) * (ulong)phases) - 1) / (ulong)step + 1);
    }

    /// <summary>Outputs that processing <paramref name="frames"/> more frames writes.</summary>
    public int OutputsFor(int frames) => checked((int)(ReadyAfter(received + frames) - emitted));

    private long FinalCount() => (long)((2 * (UInt128)(ulong)received * (ulong)phases + (ulong)step) / (2 * (UInt128)(ulong)step));

    /// <summary>Outputs a flush now writes.</summary>
    public int FlushCount() => (int)Math.Max(0, FinalCount() - emitted);

    public void Process(ReadOnlySpan<float> interleaved, int frames, Span<float> output) =>
        Consume(interleaved, frames, ReadyAfter(received + frames), output);

    /// <summary>Writes the tail (exactly FlushCount() frames) and starts a new stream.</summary>
    public void Flush(Span<float> output)
    {
        var target = FinalCount();
        if (target > emitted)
        {
            var zerosNeeded = (int)Math.Max(0, Base(target - 1) + Taps / 2 + 1 - received);
            Consume(ReadOnlySpan<float>.Empty, zerosNeeded, target, output);
        }
        Reset();
    }

    /// <summary>Consumes frames from <paramref name="interleaved"/>, or zeros when it is empty.</summary>
    private void Consume(ReadOnlySpan<float> interleaved, int frames, long limit, Span<float> output)
    {
        var consumed = 0;
        var written = 0;
        while (true)
        {
            written += EmitReady(limit, output[(written * Channels)..]);
            if (consumed == frames)
            {
                break;
            }
            DropConsumedHistory();
            var take = Math.Min(frames - consumed, capacity - held);
            Append(interleaved, consumed, take);
            consumed += take;
        }
    }

    private void Append(ReadOnlySpan<float> interleaved, int firstFrame, int frames)
    {
        for (var c = 0; c < Channels; c++)
        {
            var region = history.AsSpan(c * capacity + held, frames);
            if (interleaved.IsEmpty)
            {
                region.Clear();
            }
            else if (Channels == 1)
            {
                interleaved.Slice(firstFrame, frames).CopyTo(region);
            }
            else
            {
                var source = interleaved.Slice(firstFrame * Channels, frames * Channels);
                for (int i = 0, s = c; i < frames; i++, s += Channels)
                {
                    region[i] = source[s];
                }
            }
        }
        held += frames;
        received += frames;
    }

    private void DropConsumedHistory()
    {
        var keepFrom = (int)Math.Min(WindowStart(emitted) - heldStart, held);
        if (keepFrom == 0)
        {
            return;
        }
        for (var c = 0; c < Channels; c++)
        {
            history.AsSpan(c * capacity + keepFrom, held - keepFrom).CopyTo(history.AsSpan(c * capacity));
        }
        held -= keepFrom;
        heldStart += keepFrom;
    }

    private int EmitReady(long limit, Span<float> output)
    {
        var end = Math.Min(ReadyAfter(received), limit);
        if (end <= emitted)
        {
            return 0;
        }
        var count = (int)(end - emitted);
        var windowStart = (int)(WindowStart(emitted) - heldStart);
        var phase = (int)((UInt128)(ulong)emitted * (ulong)step % (ulong)phases);
        for (var c = 0; c < Channels; c++)
        {
            ResampleKernels.Produce(coefficients, Taps, phases, step, history.AsSpan(c * capacity, held),
                windowStart, phase, count, output[c..], Channels);
        }
        emitted = end;
        return count;
    }
}
