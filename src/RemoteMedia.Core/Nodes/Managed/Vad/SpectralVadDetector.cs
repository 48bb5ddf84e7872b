namespace RemoteMedia.Nodes.Managed.Vad;

/// <summary>
/// The robust detector, mirroring the native <c>spectral.rs</c> operation for operation (see there
/// and docs/VAD.md for the algorithm): sub-band power, minimum-statistics noise floor, capped
/// log likelihood ratio per band, smoothed score, a relative level gate between tracked noise and
/// speech levels, aggressiveness threshold, and a hangover armed by a 30 ms speech burst.
/// </summary>
internal sealed class SpectralVadDetector : IVadDetector
{
    private static readonly int[] BandEdgesHz = [125, 250, 500, 750, 1000, 1500, 2000, 2750, 3750];
    private static readonly double[] Thresholds = [0.25, 0.45, 0.8, 1.3];
    private const double LlrCap = 8.0;
    private const double CappedSnr = 11.5;
    private const double NoiseBias = 2.5;
    private const double PowerSmoothing10Ms = 0.7;
    private const double ScoreSmoothing10Ms = 0.5;
    private const int SubwindowMs = 250;
    private const int AnalysisRate = 8000;
    private const int Subwindows = 6;
    private const double FloorRms = 3.162_277_660_168_379_5e-4;
    private const double LevelStep10Ms = 0.03;
    private const double LowQuantile = 0.2;
    private const double HighQuantile = 0.9;
    private const double GateFraction = 0.7;
    private const int BurstMs = 30;

    private readonly int frameLength;
    private readonly int decimation;
    private readonly int analysisLength;
    private readonly float decimationScale;
    private readonly VadFft fft;
    private readonly float[] window;
    private readonly float[] history;
    private readonly int binsLo;
    private readonly float[] bins;
    private readonly (int Lo, int Hi)[] bands;
    private readonly double[] bandPower;
    private readonly double[] smoothed;
    private readonly double[] currentMin;
    private readonly double[] pastMin;
    private readonly int subwindowFrames;
    private readonly double powerAlpha;
    private readonly double scoreBeta;
    private readonly double floor;
    private readonly double threshold;
    private readonly int hangoverFrames;
    private readonly int burstFrames;
    private readonly double levelStep;
    private int framesInSubwindow;
    private int subwindowsFilled;
    private int subwindowSlot;
    private double score;
    private double lowLevel;
    private double highLevel;
    private bool levelStarted;
    private int hangoverLeft;
    private int burst;
    private bool started;

    public SpectralVadDetector(int rate, int frameMs, int aggressiveness, int hangoverMs)
    {
        frameLength = rate * frameMs / 1000;
        decimation = rate / AnalysisRate;
        analysisLength = frameLength / decimation;
        decimationScale = 1.0f / decimation;
        var nFft = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)analysisLength);
        window = new float[nFft];
        var windowEnergy = 0.0;
        for (var i = 0; i < nFft; i++)
        {
            window[i] = (float)(0.5 - 0.5 * VadMath.Cos(2.0 * Math.PI * i / nFft));
        }
        foreach (var w in window)
        {
            windowEnergy += (double)w * w;
        }
        int Bin(int hz) => (hz * nFft + AnalysisRate / 2) / AnalysisRate;
        binsLo = Bin(BandEdgesHz[0]);
        bands = new (int, int)[BandEdgesHz.Length - 1];
        for (var b = 0; b < bands.Length; b++)
        {
            bands[b] = (Bin(BandEdgesHz[b]) - binsLo, Bin(BandEdgesHz[b + 1]) - binsLo);
        }
        bins = new float[Bin(BandEdgesHz[^1]) - binsLo];
        fft = new VadFft(nFft);
        history = new float[nFft];
        bandPower = new double[bands.Length];
        smoothed = new double[bands.Length];
        currentMin = new double[bands.Length];
        pastMin = new double[bands.Length * Subwindows];
        subwindowFrames = SubwindowMs / frameMs;
        powerAlpha = PerFrame(PowerSmoothing10Ms, frameMs);
        scoreBeta = PerFrame(ScoreSmoothing10Ms, frameMs);
        floor = FloorRms * FloorRms * windowEnergy;
        threshold = Thresholds[aggressiveness];
        hangoverFrames = hangoverMs / frameMs;
        burstFrames = (BurstMs + frameMs - 1) / frameMs;
        levelStep = LevelStep10Ms * (frameMs / 10);
    }

    /// <summary><c>base^(frameMs/10)</c> by repeated multiplication, as the native side.</summary>
    private static double PerFrame(double value, int frameMs)
    {
        var result = 1.0;
        for (var i = 0; i < frameMs / 10; i++)
        {
            result *= value;
        }
        return result;
    }

    public bool Decide(ReadOnlySpan<float> frame)
    {
        var nFft = history.Length;
        Array.Copy(history, analysisLength, history, 0, nFft - analysisLength);
        var tail = history.AsSpan(nFft - analysisLength);
        if (decimation == 1)
        {
            frame.CopyTo(tail);
        }
        else
        {
            for (var i = 0; i < analysisLength; i++)
            {
                var sum = 0.0f;
                foreach (var x in frame.Slice(i * decimation, decimation))
                {
                    sum += x;
                }
                tail[i] = sum * decimationScale;
            }
        }
        fft.Power(history, window, binsLo, binsLo + bins.Length, bins);
        for (var b = 0; b < bands.Length; b++)
        {
            var (lo, hi) = bands[b];
            var sum = 0.0;
            for (var k = lo; k < hi; k++)
            {
                sum += bins[k];
            }
            bandPower[b] = sum / (hi - lo);
        }
        TrackNoise();

        var llrSum = 0.0;
        for (var b = 0; b < bandPower.Length; b++)
        {
            var snr = bandPower[b] / NoiseFloor(b);
            if (snr >= CappedSnr)
            {
                // g - ln g - 1 grows with g and already exceeds the cap here: skip the logarithm.
                llrSum += LlrCap;
            }
            else if (snr > 1.0)
            {
                var llr = snr - VadMath.Ln(snr) - 1.0;
                llrSum += llr > LlrCap ? LlrCap : llr;
            }
        }
        var meanLlr = llrSum / bandPower.Length;
        score = scoreBeta * score + (1.0 - scoreBeta) * meanLlr;

        if (IsLoud() && score > threshold)
        {
            if (burst < burstFrames)
            {
                burst++;
            }
            if (burst == burstFrames)
            {
                hangoverLeft = hangoverFrames;
            }
            return true;
        }
        burst = 0;
        if (hangoverLeft > 0)
        {
            hangoverLeft--;
            return true;
        }
        return false;
    }

    /// <summary>
    /// Tracks a low (20th percentile) and a high (90th percentile) level of the frame's speech-band
    /// log power with slow quantile trackers, and tells whether this frame sits in the upper part of
    /// that range. Babble passes the likelihood test on its own fluctuations; what gives the target
    /// talker away is being louder than the babble's typical level.
    /// </summary>
    private bool IsLoud()
    {
        var total = 0.0;
        for (var b = 0; b < bandPower.Length; b++)
        {
            total += bandPower[b];
        }
        var level = VadMath.Ln(total > floor ? total : floor);
        if (!levelStarted)
        {
            levelStarted = true;
            lowLevel = level;
            highLevel = level;
        }
        lowLevel += level < lowLevel ? levelStep * (LowQuantile - 1.0) : levelStep * LowQuantile;
        highLevel += level < highLevel ? levelStep * (HighQuantile - 1.0) : levelStep * HighQuantile;
        return level > lowLevel + GateFraction * (highLevel - lowLevel);
    }

    private void TrackNoise()
    {
        var count = bandPower.Length;
        if (!started)
        {
            started = true;
            bandPower.CopyTo(smoothed, 0);
            bandPower.CopyTo(currentMin, 0);
        }
        else
        {
            for (var b = 0; b < count; b++)
            {
                smoothed[b] = powerAlpha * smoothed[b] + (1.0 - powerAlpha) * bandPower[b];
                if (smoothed[b] < currentMin[b])
                {
                    currentMin[b] = smoothed[b];
                }
            }
        }
        framesInSubwindow++;
        if (framesInSubwindow == subwindowFrames)
        {
            currentMin.CopyTo(pastMin, subwindowSlot * count);
            smoothed.CopyTo(currentMin, 0);
            subwindowSlot = (subwindowSlot + 1) % Subwindows;
            if (subwindowsFilled < Subwindows)
            {
                subwindowsFilled++;
            }
            framesInSubwindow = 0;
        }
    }

    private double NoiseFloor(int band)
    {
        var count = bandPower.Length;
        var minimum = currentMin[band];
        for (var slot = 0; slot < subwindowsFilled; slot++)
        {
            var past = pastMin[slot * count + band];
            if (past < minimum)
            {
                minimum = past;
            }
        }
        var noise = NoiseBias * minimum;
        return noise > floor ? noise : floor;
    }
}
