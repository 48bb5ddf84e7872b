using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RemoteMedia.Nodes.Managed.Resample;

/// <summary>
/// The inner loop of the managed resampler, as in kernels.rs: one output is the dot product of a
/// coefficient row with a window of history, accumulated block by block in one 8-lane sum per output.
/// The one-output and eight-output forms do the same operations per output, so any grouping (and
/// so any input chunking) gives bit-identical results.
/// </summary>
internal static class ResampleKernels
{
    /// <summary>Whether the kernels fuse multiply and add (x86 FMA); the other path rounds twice.</summary>
    public static bool UsesFma => Fma.IsSupported;

    /// <summary>Outputs computed together: eight FMA chains cover the FMA latency; a shared row is loaded once for eight.</summary>
    private const int Group = 8;

    /// <summary>Computes <paramref name="count"/> outputs of one channel into out[k * stride].</summary>
    // AggressiveOptimization: the kernels are jitted fully optimized at once. Under tiering, a
    // one-shot 10 s call would otherwise run its hot loop in tier-0 code (4x slower, measured).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
        Span<float> results = stackalloc float[Group];
        // Outputs that do not fill a shared-row group are pooled into groups of eight rows, so they
        // too run eight FMA chains (a lone output is FMA-latency-bound).
        Span<int> pendingRows = stackalloc int[Group];
        Span<int> pendingWindows = stackalloc int[Group];
        Span<int> pendingOutputs = stackalloc int[Group];
        var pending = 0;
        if (count >= Group * phases)
        {
            // Phase by phase: outputs first, first + phases, ... share a row and their windows are `step` apart.
            for (var first = 0; first < phases; first++)
            {
                ref var row = ref Unsafe.Add(ref c, phase * taps);
                var window = windowStart;
                var k = first;
                for (; k + (Group - 1) * phases < count; k += Group * phases, window += Group * step)
                {
                    DotShared(ref row, ref Unsafe.Add(ref h, window), step, taps, results);
                    for (var g = 0; g < Group; g++)
                    {
                        Unsafe.Add(ref o, (k + g * phases) * stride) = results[g];
                    }
                }
                for (; k < count; k += phases, window += step)
                {
                    pendingRows[pending] = phase * taps;
                    pendingWindows[pending] = window;
                    pendingOutputs[pending] = k;
                    if (++pending == Group)
                    {
                        DotRows(ref c, ref h, pendingRows, pendingWindows, taps, results);
                        Store(ref o, pendingOutputs, results, Group, stride);
                        pending = 0;
                    }
                }
                Advance(ref windowStart, ref phase, wholeStep, phaseStep, phases);
            }
        }
        else
        {
            for (var k = 0; k < count; k++)
            {
                pendingRows[pending] = phase * taps;
                pendingWindows[pending] = windowStart;
                pendingOutputs[pending] = k;
                if (++pending == Group)
                {
                    DotRows(ref c, ref h, pendingRows, pendingWindows, taps, results);
                    Store(ref o, pendingOutputs, results, Group, stride);
                    pending = 0;
                }
                Advance(ref windowStart, ref phase, wholeStep, phaseStep, phases);
            }
        }
        for (var g = 0; g < pending; g++)
        {
            Unsafe.Add(ref o, pendingOutputs[g] * stride) =
                Dot1(ref Unsafe.Add(ref c, pendingRows[g]), ref Unsafe.Add(ref h, pendingWindows[g]), taps);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref float o, ReadOnlySpan<int> outputs, ReadOnlySpan<float> results, int count, int stride)
    {
        for (var g = 0; g < count; g++)
        {
            Unsafe.Add(ref o, outputs[g] * stride) = results[g];
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
    private static float Sum(Vector256<float> s)
    {
        // A fixed reduction order (halves, then pairs), the same as the native AVX2 kernel.
        var q = s.GetLower() + s.GetUpper();
        var p = q + Vector128.Create(q.GetElement(2), q.GetElement(3), 0f, 0f);
        return p.GetElement(0) + p.GetElement(1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dot1(ref float c, ref float x, int taps)
    {
        var acc = Vector256<float>.Zero;
        for (nuint i = 0; i < (nuint)taps; i += 8)
        {
            acc = MultiplyAdd(Vector256.LoadUnsafe(ref c, i), Vector256.LoadUnsafe(ref x, i), acc);
        }
        return Sum(acc);
    }

    /// <summary>Eight outputs with their own rows and windows (offsets into the coefficients and the history).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotRows(ref float c, ref float h, ReadOnlySpan<int> rows, ReadOnlySpan<int> windows, int taps, Span<float> results)
    {
        ref var c0 = ref Unsafe.Add(ref c, rows[0]);
        ref var c1 = ref Unsafe.Add(ref c, rows[1]);
        ref var c2 = ref Unsafe.Add(ref c, rows[2]);
        ref var c3 = ref Unsafe.Add(ref c, rows[3]);
        ref var c4 = ref Unsafe.Add(ref c, rows[4]);
        ref var c5 = ref Unsafe.Add(ref c, rows[5]);
        ref var c6 = ref Unsafe.Add(ref c, rows[6]);
        ref var c7 = ref Unsafe.Add(ref c, rows[7]);
        ref var x0 = ref Unsafe.Add(ref h, windows[0]);
        ref var x1 = ref Unsafe.Add(ref h, windows[1]);
        ref var x2 = ref Unsafe.Add(ref h, windows[2]);
        ref var x3 = ref Unsafe.Add(ref h, windows[3]);
        ref var x4 = ref Unsafe.Add(ref h, windows[4]);
        ref var x5 = ref Unsafe.Add(ref h, windows[5]);
        ref var x6 = ref Unsafe.Add(ref h, windows[6]);
        ref var x7 = ref Unsafe.Add(ref h, windows[7]);
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        for (nuint i = 0; i < (nuint)taps; i += 8)
        {
            a0 = MultiplyAdd(Vector256.LoadUnsafe(ref c0, i), Vector256.LoadUnsafe(ref x0, i), a0);
            a1 = MultiplyAdd(Vector256.LoadUnsafe(ref c1, i), Vector256.LoadUnsafe(ref x1, i), a1);
            a2 = MultiplyAdd(Vector256.LoadUnsafe(ref c2, i), Vector256.LoadUnsafe(ref x2, i), a2);
            a3 = MultiplyAdd(Vector256.LoadUnsafe(ref c3, i), Vector256.LoadUnsafe(ref x3, i), a3);
            a4 = MultiplyAdd(Vector256.LoadUnsafe(ref c4, i), Vector256.LoadUnsafe(ref x4, i), a4);
            a5 = MultiplyAdd(Vector256.LoadUnsafe(ref c5, i), Vector256.LoadUnsafe(ref x5, i), a5);
            a6 = MultiplyAdd(Vector256.LoadUnsafe(ref c6, i), Vector256.LoadUnsafe(ref x6, i), a6);
            a7 = MultiplyAdd(Vector256.LoadUnsafe(ref c7, i), Vector256.LoadUnsafe(ref x7, i), a7);
        }
        results[0] = Sum(a0);
        results[1] = Sum(a1);
        results[2] = Sum(a2);
        results[3] = Sum(a3);
        results[4] = Sum(a4);
        results[5] = Sum(a5);
        results[6] = Sum(a6);
        results[7] = Sum(a7);
    }

    /// <summary>Eight outputs sharing one row, windows <paramref name="windowStride"/> samples apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotShared(ref float c, ref float x0, int windowStride, int taps, Span<float> results)
    {
        ref var x1 = ref Unsafe.Add(ref x0, windowStride);
        ref var x2 = ref Unsafe.Add(ref x0, 2 * windowStride);
        ref var x3 = ref Unsafe.Add(ref x0, 3 * windowStride);
        ref var x4 = ref Unsafe.Add(ref x0, 4 * windowStride);
        ref var x5 = ref Unsafe.Add(ref x0, 5 * windowStride);
        ref var x6 = ref Unsafe.Add(ref x0, 6 * windowStride);
        ref var x7 = ref Unsafe.Add(ref x0, 7 * windowStride);
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        for (nuint i = 0; i < (nuint)taps; i += 8)
        {
            var row = Vector256.LoadUnsafe(ref c, i);
            a0 = MultiplyAdd(row, Vector256.LoadUnsafe(ref x0, i), a0);
            a1 = MultiplyAdd(row, Vector256.LoadUnsafe(ref x1, i), a1);
            a2 = MultiplyAdd(row, Vector256.LoadUnsafe(ref x2, i), a2);
            a3 = MultiplyAdd(row, Vector256.LoadUnsafe(ref x3, i), a3);
            a4 = MultiplyAdd(row, Vector256.LoadUnsafe(ref x4, i), a4);
            a5 = MultiplyAdd(row, Vector256.LoadUnsafe(ref x5, i), a5);
            a6 = MultiplyAdd(row, Vector256.LoadUnsafe(ref x6, i), a6);
            a7 = MultiplyAdd(row, Vector256.LoadUnsafe(ref x7, i), a7);
        }
        results[0] = Sum(a0);
        results[1] = Sum(a1);
        results[2] = Sum(a2);
        results[3] = Sum(a3);
        results[4] = Sum(a4);
        results[5] = Sum(a5);
        results[6] = Sum(a6);
        results[7] = Sum(a7);
    }
}
