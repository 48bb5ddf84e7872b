using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RemoteMedia.Nodes.Managed.Resample;

/// <summary>
/// The inner loop of the managed resampler, as in kernels.rs: one output is the dot product of a
/// coefficient row with a window of history, accumulated in two 8-lane sums (even and odd blocks).
/// The one-output and four-output forms do the same operations per output, so any grouping (and
/// so any input chunking) gives bit-identical results.
/// </summary>
internal static class ResampleKernels
{
    /// <summary>Whether the kernels fuse multiply and add (x86 FMA); the other path rounds twice.</summary>
    public static bool UsesFma => Fma.IsSupported;

    /// <summary>Computes <paramref name="count"/> outputs of one channel into out[k * stride].</summary>
    public static void Produce(ReadOnlySpan<float> coefficients, int taps, int phases, int step,
        ReadOnlySpan<float> history, int windowStart, int phase, int count, Span<float> output, int stride)
    {
        if (count == 0)
        {
            return;
        }
        var lastStart = windowStart + (int)(((long)phase + (long)(count - 1) * step) / phases);
        if (lastStart + taps > history.Length || (count - 1) * stride >= output.Length || taps % 16 != 0)
        {
            throw new InvalidOperationException("resample kernel: window or output beyond its buffer");
        }
        ref var c = ref MemoryMarshal.GetReference(coefficients);
        ref var h = ref MemoryMarshal.GetReference(history);
        ref var o = ref MemoryMarshal.GetReference(output);
        var wholeStep = step / phases;
        var phaseStep = step % phases;
        if (count >= 4 * phases)
        {
            // Phase by phase: outputs first, first + phases, ... share a row and their windows are `step` apart.
            for (var first = 0; first < phases; first++)
            {
                ref var row = ref Unsafe.Add(ref c, phase * taps);
                var window = windowStart;
                var k = first;
                for (; k + 3 * phases < count; k += 4 * phases, window += 4 * step)
                {
                    Dot4Shared(ref row, ref Unsafe.Add(ref h, window), step, taps, out var y0, out var y1, out var y2, out var y3);
                    Unsafe.Add(ref o, k * stride) = y0;
                    Unsafe.Add(ref o, (k + phases) * stride) = y1;
                    Unsafe.Add(ref o, (k + 2 * phases) * stride) = y2;
                    Unsafe.Add(ref o, (k + 3 * phases) * stride) = y3;
                }
                for (; k < count; k += phases, window += step)
                {
                    Unsafe.Add(ref o, k * stride) = Dot1(ref row, ref Unsafe.Add(ref h, window), taps);
                }
                Advance(ref windowStart, ref phase, wholeStep, phaseStep, phases);
            }
            return;
        }
        for (var k = 0; k < count; k++)
        {
            Unsafe.Add(ref o, k * stride) = Dot1(ref Unsafe.Add(ref c, phase * taps), ref Unsafe.Add(ref h, windowStart), taps);
            Advance(ref windowStart, ref phase, wholeStep, phaseStep, phases);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Advance(ref int windowStart, ref int phase, int wholeStep, int phaseStep, int phases)
    {
        windowStart += wholeStep;
        phase += phaseStep;
        if (phase >= phases)
        {
            phase -= phases;
            windowStart++;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MultiplyAdd(Vector256<float> c, Vector256<float> x, Vector256<float> acc) =>
        Fma.IsSupported ? Fma.MultiplyAdd(c, x, acc) : acc + c * x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Finish(Vector256<float> a, Vector256<float> b)
    {
        // A fixed reduction order (halves, then pairs) so every path sums alike.
        var s = a + b;
        var q = s.GetLower() + s.GetUpper();
        var p = q + Vector128.Create(q.GetElement(2), q.GetElement(3), 0f, 0f);
        return p.GetElement(0) + p.GetElement(1);
    }

    private static float Dot1(ref float c, ref float x, int taps)
    {
        var a = Vector256<float>.Zero;
        var b = Vector256<float>.Zero;
        for (nuint i = 0; i < (nuint)taps; i += 16)
        {
            a = MultiplyAdd(Vector256.LoadUnsafe(ref c, i), Vector256.LoadUnsafe(ref x, i), a);
            b = MultiplyAdd(Vector256.LoadUnsafe(ref c, i + 8), Vector256.LoadUnsafe(ref x, i + 8), b);
        }
        return Finish(a, b);
    }

    /// <summary>Four outputs sharing one row, windows <paramref name="windowStride"/> samples apart.</summary>
    private static void Dot4Shared(ref float c, ref float x, int windowStride, int taps, out float y0, out float y1, out float y2, out float y3)
    {
        ref var x1 = ref Unsafe.Add(ref x, windowStride);
        ref var x2 = ref Unsafe.Add(ref x, 2 * windowStride);
        ref var x3 = ref Unsafe.Add(ref x, 3 * windowStride);
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector256<float> b0 = default, b1 = default, b2 = default, b3 = default;
        for (nuint i = 0; i < (nuint)taps; i += 16)
        {
            var ca = Vector256.LoadUnsafe(ref c, i);
            a0 = MultiplyAdd(ca, Vector256.LoadUnsafe(ref x, i), a0);
            a1 = MultiplyAdd(ca, Vector256.LoadUnsafe(ref x1, i), a1);
            a2 = MultiplyAdd(ca, Vector256.LoadUnsafe(ref x2, i), a2);
            a3 = MultiplyAdd(ca, Vector256.LoadUnsafe(ref x3, i), a3);
            var cb = Vector256.LoadUnsafe(ref c, i + 8);
            b0 = MultiplyAdd(cb, Vector256.LoadUnsafe(ref x, i + 8), b0);
            b1 = MultiplyAdd(cb, Vector256.LoadUnsafe(ref x1, i + 8), b1);
            b2 = MultiplyAdd(cb, Vector256.LoadUnsafe(ref x2, i + 8), b2);
            b3 = MultiplyAdd(cb, Vector256.LoadUnsafe(ref x3, i + 8), b3);
        }
        y0 = Finish(a0, b0);
        y1 = Finish(a1, b1);
        y2 = Finish(a2, b2);
        y3 = Finish(a3, b3);
    }
}
