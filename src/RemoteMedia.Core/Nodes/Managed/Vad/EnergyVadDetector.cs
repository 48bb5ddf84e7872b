namespace RemoteMedia.Nodes.Managed.Vad;

/// <summary>The original remotemedia VADNode decision: frame RMS (in f64) above the threshold.</summary>
internal sealed class EnergyVadDetector(double threshold) : IVadDetector
{
    public bool Decide(ReadOnlySpan<float> frame) => Rms(frame) > threshold;

    public static double Rms(ReadOnlySpan<float> frame)
    {
        var sum = 0.0;
        foreach (var sample in frame)
        {
            double x = sample;
            sum += x * x;
        }
        return Math.Sqrt(sum / frame.Length);
    }
}

/// <summary>Decides one analysis frame of mono samples.</summary>
internal interface IVadDetector
{
    bool Decide(ReadOnlySpan<float> frame);
}
