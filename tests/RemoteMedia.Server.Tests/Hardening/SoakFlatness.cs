using System.Globalization;

namespace RemoteMedia.Server.Tests.Hardening;

/// <summary>
/// Whether a memory series sampled during a soak is flat. A single sample is the retained state plus whatever is in
/// flight at that instant (replies being sent, utterances waiting for a decoder, a call joining), so two samples can
/// differ by more than 10% without anything being kept. A leak is a level that moves: so the series after warm-up is
/// cut into equal time windows, and the window means must stay within <see cref="Limit"/> of each other, and the
/// least-squares trend over the whole run must move the level by less than <see cref="Limit"/>.
/// </summary>
public sealed record SoakFlatness(double SampleSpread, double WindowSpread, double Trend, IReadOnlyList<double> WindowMeans)
{
    public const double Limit = 0.10;

    public bool IsFlat => WindowSpread <= Limit && Math.Abs(Trend) <= Limit;

    public static SoakFlatness Of(IReadOnlyList<(double Minute, double Value)> samples, double warmUpMinutes, int windows = 6)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windows, 1);
        var warm = samples.Where(s => s.Minute >= warmUpMinutes).ToList();
        if (warm.Count < windows)
        {
            throw new ArgumentException($"{warm.Count} samples after warm-up cannot fill {windows} windows", nameof(samples));
        }

        var start = warm[0].Minute;
        var span = Math.Max(warm[^1].Minute - start, 1e-9);
        var means = Enumerable.Range(0, windows)
            .Select(w => warm.Where(s => Math.Min(windows - 1, (int)((s.Minute - start) / span * windows)) == w).Select(s => s.Value).DefaultIfEmpty(double.NaN).Average())
            .Where(m => !double.IsNaN(m))
            .ToList();
        var mean = warm.Average(s => s.Value);
        var meanMinute = warm.Average(s => s.Minute);
        var slope = warm.Sum(s => (s.Minute - meanMinute) * (s.Value - mean)) / Math.Max(warm.Sum(s => (s.Minute - meanMinute) * (s.Minute - meanMinute)), 1e-9);
        return new SoakFlatness(
            (warm.Max(s => s.Value) - warm.Min(s => s.Value)) / warm.Min(s => s.Value),
            (means.Max() - means.Min()) / means.Min(),
            slope * span / mean,
            means);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"window means {string.Join(" / ", WindowMeans.Select(m => m.ToString("F1", CultureInfo.InvariantCulture)))}: spread {WindowSpread:P1}, trend over the run {Trend:+0.0%;-0.0%}, single samples {SampleSpread:P1}");
}
