namespace RemoteMedia.WebRtc.Tests;

internal static class Signal
{
    /// <summary>Max over lags 0..maxLag of the normalized cross-correlation of <paramref name="reference"/> with <paramref name="received"/> delayed by lag.</summary>
    internal static double MaxNormalizedCrossCorrelation(short[] reference, short[] received, int maxLag, out int bestLag)
    {
        double best = double.NegativeInfinity;
        bestLag = -1;
        for (int lag = 0; lag <= maxLag && lag < received.Length; lag++)
        {
            int n = Math.Min(reference.Length, received.Length - lag);
            if (n < 4800)
            {
                break;
            }

            double xy = 0, xx = 0, yy = 0;
            for (int i = 0; i < n; i++)
            {
                double x = reference[i], y = received[i + lag];
                xy += x * y;
                xx += x * x;
                yy += y * y;
            }

            double c = xx > 0 && yy > 0 ? xy / Math.Sqrt(xx * yy) : 0;
            if (c > best)
            {
                best = c;
                bestLag = lag;
            }
        }

        return best;
    }

    internal static double Rms(ReadOnlySpan<short> s)
    {
        double acc = 0;
        foreach (var v in s)
        {
            acc += (double)v * v;
        }

        return s.IsEmpty ? 0 : Math.Sqrt(acc / s.Length);
    }
}
