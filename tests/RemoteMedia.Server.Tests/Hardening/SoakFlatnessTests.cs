namespace RemoteMedia.Server.Tests.Hardening;

public sealed class SoakFlatnessTests
{
    private static List<(double Minute, double Value)> Series(Func<double, double> level, double noise, int seed = 1)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, 60).Select(i => (i * 0.5, level(i * 0.5) * (1 + noise * (rng.NextDouble() * 2 - 1))))];
    }

    [Fact]
    public void A_level_with_in_flight_noise_is_flat_though_single_samples_differ_by_more_than_the_limit()
    {
        var flat = SoakFlatness.Of(Series(_ => 45, noise: 0.15), warmUpMinutes: 6);
        Assert.True(flat.SampleSpread > SoakFlatness.Limit);
        Assert.True(flat.IsFlat, flat.ToString());
        Assert.Equal(6, flat.WindowMeans.Count);
    }

    [Fact]
    public void A_slow_leak_is_not_flat_even_under_the_noise()
    {
        // 45 MB growing by 0.3 MB a minute: +16% over the 24 warm minutes.
        var leak = SoakFlatness.Of(Series(m => 45 + 0.3 * m, noise: 0.05), warmUpMinutes: 6);
        Assert.False(leak.IsFlat, leak.ToString());
        Assert.True(leak.Trend > SoakFlatness.Limit, leak.ToString());
    }

    [Fact]
    public void A_step_up_late_in_the_run_is_not_flat()
    {
        var step = SoakFlatness.Of(Series(m => m < 26 ? 330 : 380, noise: 0.01), warmUpMinutes: 6);
        Assert.False(step.IsFlat, step.ToString());
        Assert.True(step.WindowSpread > SoakFlatness.Limit, step.ToString());
    }

    [Fact]
    public void Too_few_samples_after_warm_up_are_an_error_not_a_verdict()
    {
        Assert.Throws<ArgumentException>(() => SoakFlatness.Of(Series(_ => 1, 0).Take(14).ToList(), warmUpMinutes: 6));
    }
}
