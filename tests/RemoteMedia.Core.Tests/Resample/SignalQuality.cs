namespace RemoteMedia.Quality;

/// <summary>
/// The one analysis used by the resampler tests and the benchmark harness: full-scale test sines,
/// level in dBFS, and THD+N by a least-squares sine fit at the known frequency.
/// </summary>
public static class SignalQuality
{
    /// <summary>Off-round test tones (Hz) so none is periodic in the chunk: 1k, 3.4k, 7k in band; 9k, 12k, 20k above 8 kHz.</summary>
    public static readonly double[] PassbandTones = [997, 3397, 6997];
    public static readonly double[] AliasTones = [9001, 12007, 19997];

    public static float[] Sine(int rate, double frequency, double seconds, int channels = 1)
    {
        var frames = (int)(rate * seconds);
        var samples = new float[frames * channels];
        for (var i = 0; i < frames; i++)
        {
            var value = (float)Math.Sin(2 * Math.PI * frequency * i / rate);
            for (var c = 0; c < channels; c++)
            {
                samples[i * channels + c] = value;
            }
        }
        return samples;
    }

    /// <summary>Deterministic white noise in [-1, 1).</summary>
    public static float[] Noise(int samples, ulong seed)
    {
        var result = new float[samples];
        var state = seed;
        for (var i = 0; i < samples; i++)
        {
            state = state * 6364136223846793005UL + 1442695040888963407UL;
            result[i] = (float)(state >> 40) / (1 << 24) * 2f - 1f;
        }
        return result;
    }

    /// <summary>The signal without <paramref name="seconds"/> at each end (filter edges).</summary>
    public static ReadOnlySpan<float> Middle(ReadOnlySpan<float> signal, int rate, double seconds = 0.5)
    {
        var skip = (int)(rate * seconds);
        return signal.Length > 2 * skip ? signal[skip..^skip] : ReadOnlySpan<float>.Empty;
    }

    /// <summary>Level in dBFS, a full-scale sine being 0 dBFS.</summary>
    public static double LevelDbfs(ReadOnlySpan<float> signal)
    {
        var power = 0.0;
        foreach (var s in signal)
        {
            power += (double)s * s;
        }
        power /= Math.Max(1, signal.Length);
        return 10 * Math.Log10(Math.Max(2 * power, 1e-300));
    }

    /// <summary>THD+N (residual after a least-squares fit of a*cos + b*sin + dc, relative to the fitted sine) and gain, in dB.</summary>
    public static (double ThdNDb, double GainDb) SineFit(ReadOnlySpan<float> signal, int rate, double frequency)
    {
        var w = 2 * Math.PI * frequency / rate;
        var m = new double[3, 3];
        var v = new double[3];
        Span<double> basis = stackalloc double[3];
        for (var i = 0; i < signal.Length; i++)
        {
            basis[0] = Math.Cos(w * i);
            basis[1] = Math.Sin(w * i);
            basis[2] = 1;
            for (var r = 0; r < 3; r++)
            {
                for (var c = 0; c < 3; c++)
                {
                    m[r, c] += basis[r] * basis[c];
                }
                v[r] += basis[r] * signal[i];
            }
        }
        var x = Solve3(m, v);
        var residual = 0.0;
        for (var i = 0; i < signal.Length; i++)
        {
            var fit = x[0] * Math.Cos(w * i) + x[1] * Math.Sin(w * i) + x[2];
            residual += (signal[i] - fit) * (signal[i] - fit);
        }
        var amplitude2 = x[0] * x[0] + x[1] * x[1];
        var thdn = 10 * Math.Log10(Math.Max(residual / Math.Max(1, signal.Length) / (amplitude2 / 2), 1e-300));
        return (thdn, 10 * Math.Log10(amplitude2));
    }

    /// <summary>Difference of two signals relative to the RMS of the first, in dB.</summary>
    public static double DifferenceDb(ReadOnlySpan<float> reference, ReadOnlySpan<float> other)
    {
        double diff = 0, power = 0;
        var n = Math.Min(reference.Length, other.Length);
        for (var i = 0; i < n; i++)
        {
            var d = (double)reference[i] - other[i];
            diff += d * d;
            power += (double)reference[i] * reference[i];
        }
        return 10 * Math.Log10(Math.Max(diff, 1e-300) / Math.Max(power, 1e-300));
    }

    private static double[] Solve3(double[,] m, double[] v)
    {
        for (var col = 0; col < 3; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < 3; r++)
            {
                if (Math.Abs(m[r, col]) > Math.Abs(m[pivot, col]))
                {
                    pivot = r;
                }
            }
            for (var k = 0; k < 3; k++)
            {
                (m[col, k], m[pivot, k]) = (m[pivot, k], m[col, k]);
            }
            (v[col], v[pivot]) = (v[pivot], v[col]);
            for (var r = col + 1; r < 3; r++)
            {
                var f = m[r, col] / m[col, col];
                for (var k = col; k < 3; k++)
                {
                    m[r, k] -= f * m[col, k];
                }
                v[r] -= f * v[col];
            }
        }
        var x = new double[3];
        for (var r = 2; r >= 0; r--)
        {
            var s = v[r];
            for (var k = r + 1; k < 3; k++)
            {
                s -= m[r, k] * x[k];
            }
            x[r] = s / m[r, r];
        }
        return x;
    }
}
