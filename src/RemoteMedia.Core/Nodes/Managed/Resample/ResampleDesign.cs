namespace RemoteMedia.Nodes.Managed.Resample;

/// <summary>The three quality presets of AudioResampleNode.</summary>
internal enum ResampleQuality
{
    Low,
    Medium,
    High,
}

/// <summary>
/// Filter design, a line-by-line port of native-rust/src/nodes/resample/design.rs: the same Kaiser-windowed
/// sinc computed in double precision, so both runtimes round the same values to float.
/// </summary>
internal static class ResampleDesign
{
    /// <summary>Taps per output are a multiple of this so every SIMD kernel runs without tails.</summary>
    public const int TapMultiple = 16;

    public static ResampleQuality ParseQuality(string name) => name switch
    {
        "low" => ResampleQuality.Low,
        "medium" => ResampleQuality.Medium,
        _ => ResampleQuality.High,
    };

    /// <summary>Passband edge, stopband edge (fractions of the lower rate) and stopband attenuation in dB.</summary>
    public static (double PassbandEdge, double StopbandEdge, double AttenuationDb) Spec(ResampleQuality quality) => quality switch
    {
        ResampleQuality.High => (0.4375, 0.5575, 145.0),
        ResampleQuality.Medium => (0.4375, 0.5575, 125.0),
        _ => (0.40, 0.5625, 104.0),
    };

    /// <summary>Phases (out / gcd, the upsampling factor) and step (in / gcd, the decimation factor).</summary>
    public static (int Phases, int Step) ReducedRatio(int inputRate, int outputRate)
    {
        var g = Gcd(inputRate, outputRate);
        return (outputRate / g, inputRate / g);
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }
        return a;
    }

    public static int TapsPerOutput(int inputRate, int outputRate, ResampleQuality quality)
    {
        var (pass, stop, attenuation) = Spec(quality);
        double lowRate = Math.Min(inputRate, outputRate);
        var transition = (stop - pass) * lowRate / inputRate;
        var estimate = (attenuation - 7.95) / (14.36 * transition);
        var taps = (int)Math.Ceiling(estimate);
        return Math.Max(1, (taps + TapMultiple - 1) / TapMultiple) * TapMultiple;
    }

    /// <summary>Designs kept for reuse (a 44.1k -> 16k bank takes milliseconds), as in design.rs; bounded.</summary>
    private const int CachedDesigns = 32;
    private static readonly List<((int, int, ResampleQuality) Key, float[] Coefficients)> Designs = [];
    private static readonly Lock DesignsGate = new();

    /// <summary>The coefficients for this conversion, designed once per process and shared (read-only) by every node.</summary>
    public static float[] SharedCoefficients(int inputRate, int outputRate, ResampleQuality quality)
    {
        var key = (inputRate, outputRate, quality);
        lock (DesignsGate)
        {
            foreach (var (k, c) in Designs)
            {
                if (k == key)
                {
                    return c;
                }
            }
        }
        var coefficients = Coefficients(inputRate, outputRate, quality);
        lock (DesignsGate)
        {
            if (Designs.Count == CachedDesigns)
            {
                Designs.RemoveAt(0);
            }
            Designs.Add((key, coefficients));
        }
        return coefficients;
    }

    /// <summary>Row-major phases x taps coefficients; see design.rs for the indexing.</summary>
    public static float[] Coefficients(int inputRate, int outputRate, ResampleQuality quality)
    {
        var (pass, stop, attenuation) = Spec(quality);
        var (phases, _) = ReducedRatio(inputRate, outputRate);
        var taps = TapsPerOutput(inputRate, outputRate, quality);
        double lowRate = Math.Min(inputRate, outputRate);
        var cutoff = 0.5 * (pass + stop) * lowRate / inputRate;
        var beta = 0.1102 * (attenuation - 8.7);
        var halfWidth = taps / 2.0;
        var windowNorm = 1.0 / BesselI0(beta);
        var coefficients = new float[phases * taps];
        for (var phase = 0; phase < phases; phase++)
        {
            var fraction = (double)phase / phases;
            for (var tap = 0; tap < taps; tap++)
            {
                var tau = fraction + halfWidth - 1.0 - tap;
                var ratio = tau / halfWidth;
                var window = Math.Abs(ratio) >= 1.0 ? 0.0 : BesselI0(beta * Math.Sqrt(1.0 - ratio * ratio)) * windowNorm;
                coefficients[phase * taps + tap] = (float)(2.0 * cutoff * Sinc(2.0 * cutoff * tau) * window);
            }
        }
        return coefficients;
    }

    public static double Sinc(double x)
    {
        if (x == 0.0)
        {
            return 1.0;
        }
        var px = Math.PI * x;
        return Math.Sin(px) / px;
    }

    public static double BesselI0(double x)
    {
        var quarterX2 = 0.25 * x * x;
        double term = 1.0, sum = 1.0, k = 1.0;
        while (term > sum * 1e-17)
        {
            term *= quarterX2 / (k * k);
            sum += term;
            k += 1.0;
        }
        return sum;
    }
}
