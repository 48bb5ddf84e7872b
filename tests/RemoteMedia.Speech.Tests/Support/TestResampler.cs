namespace RemoteMedia.Speech.Tests.Support;

/// <summary>
/// A plain windowed-sinc resampler for tests only (the SDK's AudioResampleNode lives elsewhere):
/// each output sample is the band-limited interpolation of the input at its exact time, with the
/// cutoff below the lower Nyquist frequency so downsampling does not alias.
/// </summary>
internal static class TestResampler
{
    private const int HalfWidth = 32; // input samples on each side of the interpolation point

    public static float[] Resample(ReadOnlySpan<short> input, int inputRate, int outputRate) =>
        Resample(input.ToArray().Select(s => s / 32768f).ToArray(), inputRate, outputRate);

    public static float[] Resample(float[] input, int inputRate, int outputRate)
    {
        var step = (double)inputRate / outputRate;
        // Cutoff as a fraction of the input rate: 0.95 of the lower Nyquist, leaving room for the window's transition band.
        var cutoff = 0.5 * Math.Min(1.0, (double)outputRate / inputRate) * 0.95;
        var output = new float[(int)Math.Floor(input.Length / step)];
        for (var n = 0; n < output.Length; n++)
        {
            var time = n * step;
            var center = (int)Math.Floor(time);
            double sum = 0;
            for (var k = center - HalfWidth + 1; k <= center + HalfWidth; k++)
            {
                if (k < 0 || k >= input.Length)
                {
                    continue;
                }
                var distance = time - k;
                sum += input[k] * Kernel(distance, cutoff);
            }
            output[n] = (float)sum;
        }
        return output;
    }

    // 2fc * sinc(2fc x), Blackman-windowed over the filter's span.
    private static double Kernel(double distance, double cutoff)
    {
        var x = 2 * cutoff * distance;
        var sinc = Math.Abs(x) < 1e-12 ? 1.0 : Math.Sin(Math.PI * x) / (Math.PI * x);
        var position = (distance + HalfWidth) / (2.0 * HalfWidth); // 0..1 across the window
        var window = position is < 0 or > 1 ? 0 : 0.42 - 0.5 * Math.Cos(2 * Math.PI * position) + 0.08 * Math.Cos(4 * Math.PI * position);
        return 2 * cutoff * sinc * window;
    }
}
