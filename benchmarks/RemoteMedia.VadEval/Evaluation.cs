using RemoteMedia.Tests.Vad.Corpus;

namespace RemoteMedia.VadEval;

/// <summary>Confusion counts per detector, noise kind and SNR, summed over the clips.</summary>
internal sealed class Evaluation
{
    public required List<string> DetectorNames { get; init; }
    public required Dictionary<(string Detector, NoiseKind Noise, int Snr), FrameScore> Scores { get; init; }
    public long? ParityMismatches { get; init; }
    public long ParityFrames { get; init; }

    public FrameScore Score(string detector, NoiseKind? noise, int snr) =>
        Scores.Where(kv => kv.Key.Detector == detector && (noise is null || kv.Key.Noise == noise) && kv.Key.Snr == snr)
            .Aggregate(default(FrameScore), (sum, kv) => sum + kv.Value);

    /// <summary>The best WebRTC mode's F1 in a cell: the peer at its strongest.</summary>
    public double BestWebRtcF1(NoiseKind? noise, int snr) =>
        DetectorNames.Where(d => d.StartsWith("webrtc", StringComparison.Ordinal)).Max(d => Score(d, noise, snr).F1);

    public bool RobustBeatsWebRtcEverywhere =>
        VadCorpus.Noises.All(n => VadCorpus.Snrs.All(s => Score(Detectors.RobustDefault, n, s).F1 >= BestWebRtcF1(n, s)));

    public static Evaluation Run(List<VadClip> corpus, List<Detector> detectors, int rate)
    {
        var scores = new Dictionary<(string, NoiseKind, int), FrameScore>();
        foreach (var detector in detectors)
        {
            foreach (var clip in corpus)
            {
                var decisions = detector.Decide(clip.Samples, rate);
                var score = FrameScore.Of(decisions, detector.FrameSamples, clip.Labels, clip.LabelFrameSamples);
                var key = (detector.Name, clip.Noise, clip.SnrDb);
                scores[key] = scores.GetValueOrDefault(key) + score;
            }
        }
        long? mismatches = null;
        long frames = 0;
        if (RemoteMediaRuntime.Status.IsNativeAvailable)
        {
            mismatches = 0;
            foreach (var clip in corpus)
            {
                using var native = VadRunner.Create(Detectors.RobustConfig, RuntimeHint.Native);
                using var managed = VadRunner.Create(Detectors.RobustConfig, RuntimeHint.Managed);
                var a = VadRunner.Decisions(native, clip.Samples, rate, 4800);
                var b = VadRunner.Decisions(managed, clip.Samples, rate, 1234);
                frames += a.Count;
                mismatches += a.Count != b.Count ? Math.Max(a.Count, b.Count) : a.Zip(b).Count(p => p.First != p.Second);
            }
        }
        return new Evaluation
        {
            DetectorNames = detectors.Select(d => d.Name).ToList(),
            Scores = scores,
            ParityMismatches = mismatches,
            ParityFrames = frames,
        };
    }
}
