namespace RemoteMedia.Tests.Vad;

/// <summary>
/// The energy mode is the original remotemedia VADNode: mono by averaging, frames of
/// frame_duration_ms (default 30), RMS > energy_threshold (default 0.02), remainder dropped,
/// is_speech = any speech frame. Expected values are computed by hand.
/// </summary>
public sealed class VadEnergyModeTests
{
    [Fact]
    public void Matches_the_original_on_hand_computed_frames_managed() => MatchesTheOriginal(RuntimeHint.Managed);

    [NativeFact]
    public void Matches_the_original_on_hand_computed_frames_native() => MatchesTheOriginal(RuntimeHint.Native);

    [Fact]
    public void Averages_channels_and_compares_strictly_managed() => AveragesChannels(RuntimeHint.Managed);

    [NativeFact]
    public void Averages_channels_and_compares_strictly_native() => AveragesChannels(RuntimeHint.Native);

    private static void MatchesTheOriginal(RuntimeHint hint)
    {
        // 16 kHz, 30 ms -> 480-sample frames with RMS 0, 0.03 (> 0.02), 0.02f (not > 0.02), 0.5,
        // then a 100-sample remainder the original never analyzes.
        var alternating = Enumerable.Range(0, 480).Select(i => i % 2 == 0 ? 0.03f : -0.03f).ToArray();
        var samples = Signals.Concat(Signals.Constant(480, 0), alternating, Signals.Constant(480, 0.02f), Signals.Constant(480, -0.5f), Signals.Constant(100, 0.9f));

        var run = VadRun.Of("""{"mode":"energy"}""", hint, samples, 1, 16000, samples.Length);

        Assert.Equal([false, true, false, true], run.Decisions);
        Assert.Equal(2, run.Statistics.SpeechFrames);
        Assert.Equal(4, run.Statistics.TotalFrames);
        Assert.True(run.Statistics.IsSpeech);
        Assert.Equal(samples, run.Output); // the audio passes through, remainder included
    }

    private static void AveragesChannels(RuntimeHint hint)
    {
        // 8 kHz, 10 ms -> 80-frame frames. Frame 0: channels cancel (mono 0); frame 1: mono 0.25.
        var left = Signals.Concat(Signals.Constant(80, 0.4f), Signals.Constant(80, 0.25f));
        var right = Signals.Concat(Signals.Constant(80, -0.4f), Signals.Constant(80, 0.25f));
        var stereo = Signals.Interleave(left, right);

        var below = VadRun.Of("""{"mode":"energy","frame_duration_ms":10,"energy_threshold":0.2}""", hint, stereo, 2, 8000, 37);
        Assert.Equal([false, true], below.Decisions);

        var equal = VadRun.Of("""{"mode":"energy","frame_duration_ms":10,"energy_threshold":0.25}""", hint, stereo, 2, 8000, 160);
        Assert.Equal([false, false], equal.Decisions); // RMS 0.25 is not > 0.25
        Assert.False(equal.Statistics.IsSpeech);
        Assert.Equal(2, equal.Statistics.TotalFrames);
    }
}
