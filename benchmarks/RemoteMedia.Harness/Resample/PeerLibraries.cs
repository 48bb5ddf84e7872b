using System.Runtime.InteropServices;

namespace RemoteMedia.Harness.Resample;

/// <summary>libsoxr (Debian libsoxr0) through P/Invoke: soxr_create / soxr_process / soxr_delete.</summary>
internal sealed unsafe partial class SoxrResampler : IResampler
{
    private const string Library = "libsoxr.so.0";
    public const uint HighQuality = 4;      // SOXR_HQ = SOXR_20_BITQ
    public const uint VeryHighQuality = 6;  // SOXR_VHQ = SOXR_28_BITQ
    private nint handle;

    [StructLayout(LayoutKind.Sequential)]
    private struct QualitySpec
    {
        public double Precision, PhaseResponse, PassbandEnd, StopbandBegin;
        public nint Reserved;
        public nuint Flags;
    }

    [LibraryImport(Library)]
    private static partial QualitySpec soxr_quality_spec(nuint recipe, nuint flags);

    [LibraryImport(Library)]
    private static partial nint soxr_create(double inputRate, double outputRate, uint channels, nint* error, void* ioSpec, QualitySpec* quality, void* runtime);

    [LibraryImport(Library)]
    private static partial nint soxr_process(nint handle, float* input, nuint inputLength, nuint* inputDone, float* output, nuint outputLength, nuint* outputDone);

    [LibraryImport(Library)]
    private static partial void soxr_delete(nint handle);

    public SoxrResampler(int inputRate, int outputRate, uint recipe)
    {
        var quality = soxr_quality_spec(recipe, 0);
        nint error;
        // A null io spec means float32 interleaved in and out; a null runtime spec means one thread.
        handle = soxr_create(inputRate, outputRate, 1, &error, null, &quality, null);
        if (error != 0 || handle == 0)
        {
            throw new InvalidOperationException("soxr_create failed: " + Marshal.PtrToStringUTF8(error));
        }
    }

    public int Process(ReadOnlySpan<float> input, Span<float> output)
    {
        fixed (float* i = input, o = output)
        {
            nuint inputDone, outputDone;
            soxr_process(handle, i, (nuint)input.Length, &inputDone, o, (nuint)output.Length, &outputDone);
            return (int)outputDone;
        }
    }

    public int Flush(Span<float> output)
    {
        var total = 0;
        fixed (float* o = output)
        {
            while (total < output.Length)
            {
                nuint inputDone, outputDone;
                soxr_process(handle, null, 0, &inputDone, o + total, (nuint)(output.Length - total), &outputDone);
                if (outputDone == 0)
                {
                    break;
                }
                total += (int)outputDone;
            }
        }
        return total;
    }

    public void Dispose()
    {
        soxr_delete(handle);
        handle = 0;
    }
}

/// <summary>speexdsp's resampler (Debian libspeexdsp1). It has no flush: the tail is pushed out with zeros.</summary>
internal sealed unsafe partial class SpeexResampler : IResampler
{
    private const string Library = "libspeexdsp.so.1";
    private nint state;

    [LibraryImport(Library)]
    private static partial nint speex_resampler_init(uint channels, uint inputRate, uint outputRate, int quality, int* error);

    [LibraryImport(Library)]
    private static partial int speex_resampler_process_float(nint state, uint channel, float* input, uint* inputLength, float* output, uint* outputLength);

    [LibraryImport(Library)]
    private static partial int speex_resampler_skip_zeros(nint state);

    [LibraryImport(Library)]
    private static partial int speex_resampler_get_input_latency(nint state);

    [LibraryImport(Library)]
    private static partial void speex_resampler_destroy(nint state);

    public SpeexResampler(int inputRate, int outputRate, int quality)
    {
        int error;
        state = speex_resampler_init(1, (uint)inputRate, (uint)outputRate, quality, &error);
        if (state == 0 || error != 0)
        {
            throw new InvalidOperationException($"speex_resampler_init failed: {error}");
        }
        speex_resampler_skip_zeros(state);
    }

    public int Process(ReadOnlySpan<float> input, Span<float> output)
    {
        var consumed = 0;
        var written = 0;
        fixed (float* i = input, o = output)
        {
            while (consumed < input.Length && written < output.Length)
            {
                var inLength = (uint)(input.Length - consumed);
                var outLength = (uint)(output.Length - written);
                speex_resampler_process_float(state, 0, i + consumed, &inLength, o + written, &outLength);
                consumed += (int)inLength;
                written += (int)outLength;
                if (inLength == 0 && outLength == 0)
                {
                    break;
                }
            }
        }
        return written;
    }

    public int Flush(Span<float> output)
    {
        Span<float> zeros = stackalloc float[speex_resampler_get_input_latency(state)];
        return Process(zeros, output);
    }

    public void Dispose()
    {
        speex_resampler_destroy(state);
        state = 0;
    }
}

/// <summary>libsamplerate (Debian libsamplerate0): src_new / src_process / src_delete.</summary>
internal sealed unsafe partial class SampleRateResampler : IResampler
{
    private const string Library = "libsamplerate.so.0";
    public const int SincBest = 0;
    public const int SincFastest = 2;
    private readonly double ratio;
    private nint state;

    [StructLayout(LayoutKind.Sequential)]
    private struct SrcData
    {
        public float* DataIn;
        public float* DataOut;
        public nint InputFrames, OutputFrames, InputFramesUsed, OutputFramesGenerated;
        public int EndOfInput;
        public double SrcRatio;
    }

    [LibraryImport(Library)]
    private static partial nint src_new(int converter, int channels, int* error);

    [LibraryImport(Library)]
    private static partial int src_process(nint state, SrcData* data);

    [LibraryImport(Library)]
    private static partial nint src_delete(nint state);

    public SampleRateResampler(int inputRate, int outputRate, int converter)
    {
        int error;
        state = src_new(converter, 1, &error);
        if (state == 0)
        {
            throw new InvalidOperationException($"src_new failed: {error}");
        }
        ratio = (double)outputRate / inputRate;
    }

    private int Run(ReadOnlySpan<float> input, Span<float> output, bool end)
    {
        var consumed = 0;
        var written = 0;
        fixed (float* i = input, o = output)
        {
            while (written < output.Length)
            {
                var data = new SrcData
                {
                    DataIn = i + consumed,
                    DataOut = o + written,
                    InputFrames = input.Length - consumed,
                    OutputFrames = output.Length - written,
                    EndOfInput = end ? 1 : 0,
                    SrcRatio = ratio,
                };
                var error = src_process(state, &data);
                if (error != 0)
                {
                    throw new InvalidOperationException($"src_process failed: {error}");
                }
                consumed += (int)data.InputFramesUsed;
                written += (int)data.OutputFramesGenerated;
                if (data.OutputFramesGenerated == 0 && (consumed == input.Length || data.InputFramesUsed == 0))
                {
                    break;
                }
            }
        }
        return written;
    }

    public int Process(ReadOnlySpan<float> input, Span<float> output) => Run(input, output, false);

    public int Flush(Span<float> output) => Run(ReadOnlySpan<float>.Empty, output, true);

    public void Dispose()
    {
        src_delete(state);
        state = 0;
    }
}
