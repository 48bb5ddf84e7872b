using RemoteMedia.Tests.Vad.Corpus;

namespace RemoteMedia.Tests.Vad;

/// <summary>
/// Compatibility suite: "VAD native vs managed agree frame by frame". Both runtimes perform the same
/// arithmetic in the same order (deterministic log/cos, no platform math), so the agreement is exact:
/// same decisions, same events, same gated audio, same errors.
/// </summary>
public sealed class VadParityTests
{
    [NativeFact]
    public void Robust_decisions_agree_frame_by_frame_on_noisy_corpus_clips()
    {
        foreach (var clip in TestCorpus.Clips)
        {
            var native = VadRun.Of("""{"frame_duration_ms":10}""", RuntimeHint.Native, clip.Samples, 1, clip.SampleRate, 4800);
            var managed = VadRun.Of("""{"frame_duration_ms":10}""", RuntimeHint.Managed, clip.Samples, 1, clip.SampleRate, 1111);
            Assert.True(native.Decisions.Count > 100, clip.Name);
            Assert.True(native.Events.SequenceEqual(managed.Events), $"{clip.Name}: first difference at decision {FirstDifference(native.Decisions, managed.Decisions)}");
        }
    }

    [NativeFact]
    public void Every_rate_frame_length_mode_and_layout_agrees()
    {
        var clip = TestCorpus.Clips.First(c => c.Noise == NoiseKind.Babble && c.SnrDb == 10);
        foreach (var rate in new[] { 8000, 16000, 32000, 48000 })
        {
            var mono = SpeechSynth.Resample(clip.Samples, clip.SampleRate, rate);
            var stereo = Signals.Interleave(mono, mono.Select(x => -0.5f * x).ToArray());
            foreach (var config in new[]
            {
                """{"frame_duration_ms":10,"aggressiveness":0}""",
                """{"frame_duration_ms":20,"aggressiveness":3,"hangover_ms":0,"gate_audio":true}""",
                """{"frame_duration_ms":30}""",
                """{"mode":"energy"}""",
                """{"mode":"energy","frame_duration_ms":20,"energy_threshold":0.05,"gate_audio":true}""",
            })
            {
                foreach (var (samples, channels) in new[] { (mono, 1), (stereo, 2) })
                {
                    var native = VadRun.Of(config, RuntimeHint.Native, samples, channels, rate, 777);
                    var managed = VadRun.Of(config, RuntimeHint.Managed, samples, channels, rate, 2048);
                    Assert.True(native.Events.SequenceEqual(managed.Events), $"{rate} Hz, {channels} ch, {config}");
                    Assert.Equal(native.Output, managed.Output);
                    Assert.Equal(native.Statistics.SpeechFrames, managed.Statistics.SpeechFrames);
                }
            }
        }
    }

    [NativeFact]
    public void Errors_carry_the_same_codes_and_messages()
    {
        using var native = VadRunner.Create("", RuntimeHint.Native);
        using var managed = VadRunner.Create("", RuntimeHint.Managed);
        var nan = new float[64];
        nan[5] = float.NaN;
        foreach (var (samples, rate) in new[] { (new float[64], 44100), (nan, 16000) })
        {
            var a = Assert.Throws<RemoteMediaException>(() => native.Process(samples, 1, rate, new float[256].AsSpan()));
            var b = Assert.Throws<RemoteMediaException>(() => managed.Process(samples, 1, rate, new float[256].AsSpan()));
            Assert.Equal(a.ErrorCode, b.ErrorCode);
            Assert.Equal(a.Message, b.Message);
        }
        foreach (var config in new[] { """{"aggressiveness":9}""", """{"frame_duration_ms":25}""", """{"bogus":true}""" })
        {
            var a = Assert.Throws<RemoteMediaException>(() => VadRunner.Create(config, RuntimeHint.Native));
            var b = Assert.Throws<RemoteMediaException>(() => VadRunner.Create(config, RuntimeHint.Managed));
            Assert.Equal(a.Message, b.Message);
        }
    }

    private static int FirstDifference(List<bool> a, List<bool> b)
    {
        for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            if (a[i] != b[i])
            {
                return i;
            }
        }
        return a.Count == b.Count ? -1 : Math.Min(a.Count, b.Count);
    }
}
