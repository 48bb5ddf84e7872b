namespace RemoteMedia.Nodes.Managed.Vad;

/// <summary>
/// Deterministic math for the VAD, operation for operation the same as the native
/// <c>nodes/vad/detmath.rs</c>: platform <c>Math.Log</c>/<c>Math.Cos</c> are avoided so that both
/// runtimes compute bit-identical features and therefore identical decisions.
/// </summary>
internal static class VadMath
{
    // The same correctly rounded doubles as Rust's std::f64::consts::{LN_2, SQRT_2}.
    private const double Ln2 = 0.693147180559945309417232121458176568;
    private const double Sqrt2 = 1.41421356237309504880168872420969808;

    /// <summary>cos(x) for x in [0, 2*pi] by a fixed 40-term Taylor series after reduction to [-pi, pi].</summary>
    public static double Cos(double x)
    {
        if (x > Math.PI)
        {
            x -= 2.0 * Math.PI;
        }
        var x2 = x * x;
        var term = 1.0;
        var sum = 1.0;
        var k = 1.0;
        for (var i = 0; i < 40; i++)
        {
            term = -term * x2 / (k * (k + 1.0));
            sum += term;
            k += 2.0;
        }
        return sum;
    }

    public static double Sin(double x)
    {
        var shifted = x - Math.PI / 2.0;
        return Cos(shifted < 0.0 ? shifted + 2.0 * Math.PI : shifted);
    }

    /// <summary>Natural logarithm of a positive normal x: exponent from the bits plus an atanh series.</summary>
    public static double Ln(double x)
    {
        var bits = (ulong)BitConverter.DoubleToInt64Bits(x);
        var exponent = (long)((bits >> 52) & 0x7ff) - 1023;
        var mantissa = BitConverter.Int64BitsToDouble((long)((bits & 0x000f_ffff_ffff_ffffUL) | 0x3ff0_0000_0000_0000UL));
        if (mantissa > Sqrt2)
        {
            mantissa *= 0.5;
            exponent += 1;
        }
        var s = (mantissa - 1.0) / (mantissa + 1.0);
        var s2 = s * s;
        var series = 1.0 + s2 * (1.0 / 3.0 + s2 * (1.0 / 5.0 + s2 * (1.0 / 7.0 + s2 * (1.0 / 9.0 + s2 * (1.0 / 11.0)))));
        return exponent * Ln2 + 2.0 * s * series;
    }
}
