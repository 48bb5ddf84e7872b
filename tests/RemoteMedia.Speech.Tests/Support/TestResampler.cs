namespace RemoteMedia.Speech.Tests.Support;

/// <summary>
/// A plain windowed-sinc resampler for tests only (the SDK's AudioResampleNode lives elsewhere):
/// each output sample is the band-limited interpolation of the input at its exact time, with the
/// cutoff below the lower Nyquist frequency so downsampling does not alias. For a rational ratio
/// in/out = P/Q there are only Q distinct interpolation phases, so their kernels are computed once.
/// </summary>
internal static class TestResampler
{
    private const int HalfWidth = 32; // input samples on each side of the interpolation point

    public static float[] Resample(ReadOnlySpan<short> input, int inputRate, int outputRate)
    {
        var samples = new float[input.Length];
        for (var i = 0; i < input.Length; i++)
        {
            samples[i] = input[i] / 32768f;
        }
        return Resample(samples, inputRate, outputRate);
    }

    public static float[] Resample(float[] input, int inputRate, int outputRate)
    {
        var divisor = Gcd(inputRate, outputRate);
        var inputStep = inputRate / divisor;   // P: input samples advanced per Q outputs
        var phases = outputRate / divisor;     // Q: distinct fractional positions
        // Cutoff as a fraction of the input rate: 0.95 of the lower Nyquist, leaving room for the window's transition band.
        var cutoff = 0.5 * Math.Min(1.0, (double)outputRate / inputRate) * 0.95;
        var kernels = new double[phases][];
        for (var phase = 0; phase < phases; phase++)
        {
            var fraction = (double)phase / phases;
            kernels[phase] = new double[2 * HalfWidth];
            for (var tap = 0; tap < 2 * HalfWidth; tap++)
            {
                kernels[phase][tap] = Kernel(fraction + HalfWidth - 1 - tap, cutoff); // distance from input sample center-HalfWidth+1+tap
            }
        }

        var output = new float[(int)((long)input.Length * phases / inputStep)];
        for (var n = 0; n < output.Length; n++)
        {
            var position = (long)n * inputStep;
            var center = (int)(position / phases);
            var kernel = kernels[(int)(position % phases)];
            double sum = 0;
            var first = center - HalfWidth + 1;
            for (var tap = 0; tap < kernel.Length; tap++)
            {
                var k = first + tap;
                if ((uint)k < (uint)input.Length)
                {
                    sum += input[k] * kernel[tap];
                }
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

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}
