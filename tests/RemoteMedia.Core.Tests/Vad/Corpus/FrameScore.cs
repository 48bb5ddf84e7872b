namespace RemoteMedia.Tests.Vad.Corpus;

/// <summary>Frame-level confusion counts and the precision/recall/F1 they give.</summary>
public readonly record struct FrameScore(long TruePositives, long FalsePositives, long FalseNegatives, long TrueNegatives)
{
    public double Precision => TruePositives + FalsePositives == 0 ? 0 : (double)TruePositives / (TruePositives + FalsePositives);

    public double Recall => TruePositives + FalseNegatives == 0 ? 0 : (double)TruePositives / (TruePositives + FalseNegatives);

    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    public static FrameScore operator +(FrameScore a, FrameScore b) => new(
        a.TruePositives + b.TruePositives, a.FalsePositives + b.FalsePositives, a.FalseNegatives + b.FalseNegatives, a.TrueNegatives + b.TrueNegatives);

    /// <summary>
    /// Scores decisions made on frames of <paramref name="decisionFrameSamples"/> against 10 ms labels:
    /// each label frame takes the decision of the detector frame holding its first sample; label
    /// frames past the last decision count as non-speech decisions.
    /// </summary>
    public static FrameScore Of(IReadOnlyList<bool> decisions, int decisionFrameSamples, bool[] labels, int labelFrameSamples)
    {
        long tp = 0, fp = 0, fn = 0, tn = 0;
        for (var f = 0; f < labels.Length; f++)
        {
            var d = (long)f * labelFrameSamples / decisionFrameSamples;
            var speech = d < decisions.Count && decisions[(int)d];
            if (speech && labels[f]) tp++;
            else if (speech) fp++;
            else if (labels[f]) fn++;
            else tn++;
        }
        return new FrameScore(tp, fp, fn, tn);
    }
}
