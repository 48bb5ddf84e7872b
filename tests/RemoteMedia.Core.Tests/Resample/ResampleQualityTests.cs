using RemoteMedia.Quality;
using Xunit.Abstractions;

namespace RemoteMedia.Tests.Resample;

/// <summary>Issue 4 item 3: alias, THD+N and passband edge for each quality, both runtimes, 48k and 44.1k to 16k.</summary>
public sealed class ResampleQualityTests(ITestOutputHelper log)
{
    [Theory]
    [InlineData("high", -140.0, -130.0, 0.05)]
    [InlineData("medium", -120.0, -120.0, 0.1)]
    [InlineData("low", -100.0, -100.0, 0.5)]
    public void Quality_meets_issue_figures(string quality, double maxAliasDbfs, double maxThdNDb, double maxEdgeDb)
    {
        foreach (var runtime in ResampleTestKit.Runtimes())
        {
            foreach (var rate in new[] { 48000, 44100 })
            {
                foreach (var tone in SignalQuality.AliasTones)
                {
                    var output = ResampleTestKit.Whole(runtime, SignalQuality.Sine(rate, tone, 3.01), 1, rate, 16000, quality);
                    var alias = SignalQuality.LevelDbfs(SignalQuality.Middle(output, 16000));
                    log.WriteLine($"{runtime} {rate} {quality}: alias {tone} Hz {alias:F1} dBFS");
                    Assert.True(alias <= maxAliasDbfs, $"{runtime} {rate} {quality}: alias of {tone} Hz is {alias:F1} dBFS");
                }
                var gains = new List<double>();
                foreach (var tone in SignalQuality.PassbandTones)
                {
                    var output = ResampleTestKit.Whole(runtime, SignalQuality.Sine(rate, tone, 3.01), 1, rate, 16000, quality);
                    var (thdn, gain) = SignalQuality.SineFit(SignalQuality.Middle(output, 16000), 16000, tone);
                    log.WriteLine($"{runtime} {rate} {quality}: THD+N {tone} Hz {thdn:F1} dB, gain {gain:F4} dB");
                    Assert.True(thdn <= maxThdNDb, $"{runtime} {rate} {quality}: THD+N at {tone} Hz is {thdn:F1} dB");
                    gains.Add(gain);
                }
                var edge = gains[2] - gains[0];
                Assert.True(Math.Abs(edge) <= maxEdgeDb, $"{runtime} {rate} {quality}: 7 kHz edge {edge:F3} dB");
            }
        }
    }

    [Theory]
    [InlineData(48000, "high")]
    [InlineData(44100, "high")]
    [InlineData(44100, "low")]
    [InlineData(8000, "medium")]
    public void Native_and_managed_agree_within_minus_120_dB(int rate, string quality)
    {
        if (!ResampleTestKit.NativeAvailable)
        {
            log.WriteLine("native runtime unavailable: only the managed side ran (see other tests)");
            return;
        }
        var input = SignalQuality.Noise(rate * 2 * 2, 21);
        var managed = ResampleTestKit.Whole(RuntimeHint.Managed, input, 2, rate, 16000, quality);
        var native = ResampleTestKit.Whole(RuntimeHint.Native, input, 2, rate, 16000, quality);
        Assert.Equal(native.Length, managed.Length);
        var difference = SignalQuality.DifferenceDb(native, managed);
        log.WriteLine($"{rate} {quality}: native vs managed {difference:F1} dB");
        Assert.True(difference <= -120, $"native vs managed differ by {difference:F1} dB");
    }
}
