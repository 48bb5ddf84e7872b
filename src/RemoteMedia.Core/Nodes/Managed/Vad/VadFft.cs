namespace RemoteMedia.Nodes.Managed.Vad;

/// <summary>
/// Power spectrum of a real block (n-point real FFT as an n/2-point complex radix-2 FFT plus the
/// even/odd untangling), the same f32 operations in the same order as the native <c>fft.rs</c>.
/// </summary>
internal sealed class VadFft
{
    private readonly int half;
    private readonly int[] bitReverse;
    private readonly float[][] stageRe;
    private readonly float[][] stageIm;
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
        // Twiddles e^{-2 pi i j / (2 span)} for each stage with span >= 4; spans 1 and 2 need none.
        var stagesRe = new List<float[]>();
        var stagesIm = new List<float[]>();
        for (var span = 4; span < half; span *= 2)
        {
            var stageR = new float[span];
            var stageI = new float[span];
            for (var j = 0; j < span; j++)
            {
                stageR[j] = (float)VadMath.Cos(Angle(j, 2 * span));
                stageI[j] = (float)-VadMath.Sin(Angle(j, 2 * span));
            }
            stagesRe.Add(stageR);
            stagesIm.Add(stageI);
        }
        stageRe = [.. stagesRe];
        stageIm = [.. stagesIm];
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
        // Spans 1 and 2 (twiddles 1 and -i) fused: one pass over groups of four, the same operations
        // in the same order as the native side.
        for (var g = 0; g < half; g += 4)
        {
            float r0 = re[g] + re[g + 1], r1 = re[g] - re[g + 1], r2 = re[g + 2] + re[g + 3], r3 = re[g + 2] - re[g + 3];
            float i0 = im[g] + im[g + 1], i1 = im[g] - im[g + 1], i2 = im[g + 2] + im[g + 3], i3 = im[g + 2] - im[g + 3];
            re[g] = r0 + r2;
            im[g] = i0 + i2;
            re[g + 2] = r0 - r2;
            im[g + 2] = i0 - i2;
            re[g + 1] = r1 + i3;
            im[g + 1] = i1 - r3;
            re[g + 3] = r1 - i3;
            im[g + 3] = i1 + r3;
        }
        var stage = 0;
        for (var span = 4; span < half; span *= 2, stage++)
        {
            var twiddleRe = stageRe[stage];
            var twiddleIm = stageIm[stage];
            for (var start = 0; start < half; start += 2 * span)
            {
                for (var j = 0; j < span; j++)
                {
                    float wr = twiddleRe[j], wi = twiddleIm[j];
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
            var own = k == 0 || k == half ? 0 : k;
            var mirror = k == 0 || k == half ? 0 : half - k;
            float a = re[own], b = im[own];
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
