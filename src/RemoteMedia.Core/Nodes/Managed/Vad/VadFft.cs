namespace RemoteMedia.Nodes.Managed.Vad;

/// <summary>
/// Power spectrum of a real block (n-point real FFT as an n/2-point complex radix-2 FFT plus the
/// even/odd untangling), the same f32 operations in the same order as the native <c>fft.rs</c>.
/// </summary>
internal sealed class VadFft
{
    private readonly int half;
    private readonly int[] bitReverse;
    private readonly float[] twiddleRe;
    private readonly float[] twiddleIm;
    private readonly float[] untangleRe;
    private readonly float[] untangleIm;
    private readonly float[] re;
    private readonly float[] im;

    public VadFft(int n)
    {
        half = n / 2;
        var bits = System.Numerics.BitOperations.TrailingZeroCount(half);
        bitReverse = new int[half];
        for (var i = 0; i < half; i++)
        {
            var reversed = 0;
            for (var b = 0; b < bits; b++)
            {
                reversed |= ((i >> b) & 1) << (bits - 1 - b);
            }
            bitReverse[i] = reversed;
        }
        twiddleRe = new float[half / 2];
        twiddleIm = new float[half / 2];
        for (var k = 0; k < half / 2; k++)
        {
            twiddleRe[k] = (float)VadMath.Cos(Angle(k, half));
            twiddleIm[k] = (float)-VadMath.Sin(Angle(k, half));
        }
        untangleRe = new float[half + 1];
        untangleIm = new float[half + 1];
        for (var k = 0; k <= half; k++)
        {
            untangleRe[k] = (float)VadMath.Cos(Angle(k, n));
            untangleIm[k] = (float)-VadMath.Sin(Angle(k, n));
        }
        re = new float[half];
        im = new float[half];
    }

    private static double Angle(int k, int length) => 2.0 * Math.PI * k / length;

    /// <summary>Transforms <c>input * window</c> and writes |X[k]|^2 for k in [lo, hi) into <c>power[k - lo]</c>.</summary>
    public void Power(ReadOnlySpan<float> input, ReadOnlySpan<float> window, int lo, int hi, Span<float> power)
    {
        for (var m = 0; m < half; m++)
        {
            var target = bitReverse[m];
            re[target] = input[2 * m] * window[2 * m];
            im[target] = input[2 * m + 1] * window[2 * m + 1];
        }
        for (var size = 2; size <= half; size *= 2)
        {
            var span = size / 2;
            var step = half / size;
            for (var start = 0; start < half; start += size)
            {
                for (var j = 0; j < span; j++)
                {
                    var wr = twiddleRe[j * step];
                    var wi = twiddleIm[j * step];
                    var a = start + j;
                    var b = a + span;
                    var tr = wr * re[b] - wi * im[b];
                    var ti = wr * im[b] + wi * re[b];
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }
        for (var k = lo; k < hi; k++)
        {
            var mirror = k == 0 ? 0 : half - k;
            float a = re[k % half], b = im[k % half];
            float c = re[mirror], d = im[mirror];
            float evenRe = (a + c) * 0.5f, evenIm = (b - d) * 0.5f;
            float oddRe = (b + d) * 0.5f, oddIm = (c - a) * 0.5f;
            float wr = untangleRe[k], wi = untangleIm[k];
            var xRe = evenRe + (wr * oddRe - wi * oddIm);
            var xIm = evenIm + (wr * oddIm + wi * oddRe);
            power[k - lo] = xRe * xRe + xIm * xIm;
        }
    }
}
