using System.Runtime.CompilerServices;

namespace RemoteMedia.Nodes.Managed;

/// <summary>
/// Sample-format conversion rules, identical to native-rust/src/nodes/sample.rs so both runtimes give
/// bit-identical results: integer to normalized divides by 32768 or 2^31; normalized to integer maps
/// NaN to 0, scales, rounds half away from zero and clamps; normalized to f32 takes the nearest float.
/// </summary>
internal interface ISampleCodec<T>
    where T : unmanaged
{
    static abstract double ToDouble(T sample);

    static abstract T FromDouble(double value);
}

internal readonly struct F32Codec : ISampleCodec<float>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ToDouble(float sample) => sample;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float FromDouble(double value) => (float)value;
}

internal readonly struct S16Codec : ISampleCodec<short>
{
    private const double Scale = 32768.0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ToDouble(short sample) => sample / Scale;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static short FromDouble(double value) =>
        double.IsNaN(value) ? (short)0 : (short)Rounding.RoundClamp(value * Scale, short.MinValue, short.MaxValue);
}

internal readonly struct S32Codec : ISampleCodec<int>
{
    private const double Scale = 2147483648.0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ToDouble(int sample) => sample / Scale;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int FromDouble(double value) =>
        double.IsNaN(value) ? 0 : (int)Rounding.RoundClamp(value * Scale, int.MinValue, int.MaxValue);
}

internal static class Rounding
{
    /// <summary>
    /// Rounds half away from zero, then clamps to [min, max] (non-NaN input). Same steps as the native
    /// round_clamp: a truncating conversion, exact for these magnitudes, so both runtimes agree bit for bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double RoundClamp(double scaled, double min, double max)
    {
        var bounded = Math.Clamp(scaled, min - 1, max + 1);
        var magnitude = Math.Abs(bounded);
        var whole = (double)(long)magnitude;
        var rounded = magnitude - whole >= 0.5 ? whole + 1 : whole;
        return Math.Clamp(Math.CopySign(rounded, bounded), min, max);
    }
}
