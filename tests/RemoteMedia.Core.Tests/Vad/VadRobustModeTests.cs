using RemoteMedia.Tests.Vad.Corpus;

namespace RemoteMedia.Tests.Vad;

/// <summary>The robust mode finds speech in noise and stays quiet on noise alone.</summary>
public sealed class VadRobustModeTests
{
    private const int Rate = 16000;

    [Fact]
    public void Detects_a_voiced_sound_in_noise_and_rejects_the_noise_around_it_managed() => DetectsVoicedSound(RuntimeHint.Managed);

    [NativeFact]
    public void Detects_a_voiced_sound_in_noise_and_rejects_the_noise_around_it_native() => DetectsVoicedSound(RuntimeHint.Native);

    [Fact]
    public void Stays_quiet_on_white_and_pink_noise_alone_managed() => QuietOnNoise(RuntimeHint.Managed);

    [NativeFact]
    public void Stays_quiet_on_white_and_pink_noise_alone_native() => QuietOnNoise(RuntimeHint.Native);

    [Fact]
    public void Detects_espeak_speech_in_white_noise_at_10_dB()
    {
        var (clean, labels) = VadCorpus.CleanClip(3, Rate);
        var mixed = VadCorpus.Mix(clean, labels, NoiseSources.White(clean.Length + Rate, 42), 0, 10, Rate);

        var run = VadRun.Of("""{"frame_duration_ms":10}""", RuntimeHint.Auto, mixed, 1, Rate, 1024);
        var score = FrameScore.Of(run.Decisions, Rate / 100, labels, Rate / 100);

        Assert.True(score.Recall > 0.9, $"recall {score.Recall:F3}");
        Assert.True(score.Precision > 0.75, $"precision {score.Precision:F3}");
    }

    private static void DetectsVoicedSound(RuntimeHint hint)
    {
        var noise = Signals.White(Rate * 3, 0.01, 1);
        var speech = Signals.Concat(new float[Rate], Signals.Vowels(Rate, Rate, 0.3), new float[Rate]);

        var decisions = VadRun.Of("""{"frame_duration_ms":10}""", hint, Signals.Add(speech, noise), 1, Rate, 480).Decisions;

        Assert.Equal(300, decisions.Count);
        Assert.InRange(decisions.Skip(20).Take(80).Count(d => d), 0, 2);    // noise before
        Assert.InRange(decisions.Skip(100).Take(100).Count(d => d), 95, 100); // the voiced second
        Assert.InRange(decisions.Skip(230).Count(d => d), 0, 2);             // noise after (hangover spent)
    }

    private static void QuietOnNoise(RuntimeHint hint)
    {
        var white = Signals.White(Rate * 4, 0.1, 9);
        var pink = NoiseSources.Pink(Rate * 4, 10).Select(x => x * 0.05f).ToArray();
        foreach (var (name, noise) in new[] { ("white", white), ("pink", pink) })
        {
            var run = VadRun.Of("""{"frame_duration_ms":20}""", hint, noise, 1, Rate, 1000);
            Assert.True(run.Statistics.SpeechFrames <= 4, $"{name} noise alone: {run.Statistics.SpeechFrames} of {run.Statistics.TotalFrames} frames called speech");
        }
    }
}
