using RemoteMedia.Speech.Tests.Support;

namespace RemoteMedia.Speech.Tests;

/// <summary>The test resampler is itself correct: a tone keeps its frequency and level, and content above the new Nyquist is removed.</summary>
public class ResamplerTests
{
    [Theory]
    [InlineData(1000.0, 1.0)]
    [InlineData(6000.0, 1.0)]
    [InlineData(9000.0, 0.0)] // above 8 kHz: must not alias into the 16 kHz output
    public void Tone_from_22050_to_16000_keeps_passband_and_rejects_stopband(double frequency, double expectedGain)
    {
        var input = Enumerable.Range(0, 22_050).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * frequency * i / 22_050))).ToArray();

        var output = TestResampler.Resample(input, 22_050, 16_000);

        Assert.InRange(output.Length, 15_999, 16_000);
        var middle = output.AsSpan(1000, 14_000).ToArray(); // away from the edges, where the filter sees zeros
        var gain = Math.Sqrt(middle.Average(s => (double)s * s)) / (0.5 / Math.Sqrt(2));
        Assert.InRange(gain, expectedGain - 0.02, expectedGain + 0.02);
        if (expectedGain > 0)
        {
            // The output is the same tone at the new rate: compare with the ideal samples.
            var worst = Enumerable.Range(1000, 14_000).Max(n => Math.Abs(output[n] - 0.5 * Math.Sin(2 * Math.PI * frequency * n / 16_000)));
            Assert.True(worst < 0.01, $"worst deviation {worst}");
        }
    }
}
