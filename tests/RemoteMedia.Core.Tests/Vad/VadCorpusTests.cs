using RemoteMedia.Tests.Vad.Corpus;

namespace RemoteMedia.Tests.Vad;

/// <summary>
/// The measurement on a reduced corpus (2 clips, white/pink/babble, 10 and 0 dB): the full table is
/// made by benchmarks/RemoteMedia.VadEval. Needs espeak-ng and libwebrtc-audio-processing1.
/// </summary>
public sealed class VadCorpusTests
{
    [Fact]
    public void Corpus_labels_mark_the_utterances_and_the_mix_hits_the_snr()
    {
        var clip = TestCorpus.Clips.First(c => c.Noise == NoiseKind.White && c.SnrDb == 10);
        var speechShare = clip.Labels.Count(l => l) / (double)clip.Labels.Length;
        Assert.InRange(speechShare, 0.3, 0.8);
        Assert.All(clip.Labels.Take(50), l => Assert.False(l)); // the lead-in silence
    }

    [Fact]
    public void Robust_mode_scores_at_least_as_well_as_webrtc_and_energy()
    {
        foreach (var snr in new[] { 10, 0 })
        {
            var clips = TestCorpus.Clips.Where(c => c.SnrDb == snr).ToList();
            var robust = Score(clips, c => VadRun.Of("""{"frame_duration_ms":10}""", RuntimeHint.Auto, c.Samples, 1, c.SampleRate, 1600).Decisions);
            var energy = Score(clips, c => VadRun.Of("""{"mode":"energy","frame_duration_ms":10}""", RuntimeHint.Auto, c.Samples, 1, c.SampleRate, 1600).Decisions);
            var webrtc = Enumerable.Range(0, 4).Max(mode => Score(clips, c =>
            {
                using var vad = new WebRtcVad(mode);
                return vad.Decide(c.Samples, c.SampleRate, c.SampleRate / 100);
            }).F1);

            Assert.True(robust.F1 >= webrtc, $"{snr} dB: robust F1 {robust.F1:F3} < WebRTC {webrtc:F3}");
            Assert.True(robust.F1 > energy.F1, $"{snr} dB: robust F1 {robust.F1:F3} <= energy {energy.F1:F3}");
            Assert.True(robust.F1 > 0.75, $"{snr} dB: robust F1 {robust.F1:F3}");
        }
    }

    private static FrameScore Score(List<VadClip> clips, Func<VadClip, List<bool>> decide) =>
        clips.Aggregate(default(FrameScore), (sum, clip) => sum + FrameScore.Of(decide(clip), clip.LabelFrameSamples, clip.Labels, clip.LabelFrameSamples));
}
