using RemoteMedia.Tests.Vad.Corpus;

namespace RemoteMedia.Tests.Vad;

/// <summary>Frames are cut from the stream: decisions, events and gated audio do not depend on chunking.</summary>
public sealed class VadStreamingTests
{
    private static readonly float[] Stream48k = Signals.Concat(
        Signals.White(24000, 0.005, 4), Signals.Add(Signals.Vowels(24000, 48000, 0.2), Signals.White(24000, 0.005, 5)), Signals.White(24000, 0.005, 6));

    [Theory]
    [InlineData("""{"frame_duration_ms":20}""")]
    [InlineData("""{"frame_duration_ms":30,"gate_audio":true}""")]
    [InlineData("""{"mode":"energy","frame_duration_ms":10}""")]
    public void Chunk_size_does_not_change_anything_managed(string config) => ChunkInvariance(config, RuntimeHint.Managed);

    [NativeFact]
    public void Chunk_size_does_not_change_anything_native()
    {
        ChunkInvariance("""{"frame_duration_ms":20}""", RuntimeHint.Native);
        ChunkInvariance("""{"frame_duration_ms":30,"gate_audio":true}""", RuntimeHint.Native);
    }

    [Fact]
    public void Events_bracket_utterances_and_gating_keeps_only_speech_managed() => EventsAndGating(RuntimeHint.Managed);

    [NativeFact]
    public void Events_bracket_utterances_and_gating_keeps_only_speech_native() => EventsAndGating(RuntimeHint.Native);

    [Fact]
    public void Robust_events_are_consistent_with_the_decisions() => ConsistentEvents(RuntimeHint.Auto);

    [Fact]
    public void Reset_starts_a_new_stream_managed() => ResetStartsOver(RuntimeHint.Managed);

    [NativeFact]
    public void Reset_starts_a_new_stream_native() => ResetStartsOver(RuntimeHint.Native);

    private static void ChunkInvariance(string config, RuntimeHint hint)
    {
        var reference = VadRun.Of(config, hint, Stream48k, 1, 48000, Stream48k.Length);
        foreach (var chunk in new[] { 1, 7, 480, 1001 })
        {
            var run = VadRun.Of(config, hint, Stream48k, 1, 48000, chunk);
            Assert.Equal(reference.Events, run.Events);
            Assert.Equal(reference.Output, run.Output);
        }
    }

    private static void EventsAndGating(RuntimeHint hint)
    {
        // 8 kHz, 30 ms -> 240-sample frames: frames 3 and 4 (720..1200) speech, frame 6 (1440..1680) speech,
        // and a 170-sample partial frame (1680..1850) still inside the open utterance at flush.
        var samples = Signals.Concat(new float[800], Signals.Constant(400, 0.5f), new float[400], Signals.Constant(250, 0.5f));
        var run = VadRun.Of("""{"mode":"energy","gate_audio":true}""", hint, samples, 1, 8000, 333);

        var boundaries = run.Events.Where(e => e.Kind != NodeEventKind.VoiceActivity).Select(e => (e.Kind, e.Frame)).ToList();
        Assert.Equal(
            [(NodeEventKind.SpeechStart, 720L), (NodeEventKind.SpeechEnd, 1200L), (NodeEventKind.SpeechStart, 1440L), (NodeEventKind.SpeechEnd, 1680L)],
            boundaries);
        Assert.Equal(480.0 / 8000, run.Events.First(e => e.Kind == NodeEventKind.SpeechEnd).Value);
        Assert.Equal(240 * 3 + 170, run.Output.Length);
        Assert.Equal(samples[720..1200], run.Output[..480]);
        Assert.False(run.Statistics.InSpeech); // flush closed the utterance
    }

    private static void ConsistentEvents(RuntimeHint hint)
    {
        var run = VadRun.Of("""{"frame_duration_ms":10}""", hint, Stream48k, 1, 48000, 4800);
        var frameLength = 480L;
        var voice = run.Events.Where(e => e.Kind == NodeEventKind.VoiceActivity).ToList();
        Assert.Equal(run.Statistics.TotalFrames, voice.Count);
        Assert.Equal(voice.Select((e, i) => i * frameLength), voice.Select(e => e.Frame));
        Assert.Equal(run.Statistics.SpeechFrames, voice.Count(e => e.Value == 1));

        // Starts and ends alternate, each start on the first speech frame, each end on the first non-speech frame.
        var previous = false;
        long start = -1;
        foreach (var e in run.Events)
        {
            switch (e.Kind)
            {
                case NodeEventKind.VoiceActivity:
                    previous = e.Value == 1;
                    break;
                case NodeEventKind.SpeechStart:
                    Assert.Equal(-1, start);
                    start = e.Frame;
                    break;
                case NodeEventKind.SpeechEnd:
                    Assert.NotEqual(-1, start);
                    Assert.Equal((e.Frame - start) / 48000.0, e.Value, 12);
                    start = -1;
                    break;
            }
        }
        Assert.Equal(-1, start);
        Assert.False(previous && run.Statistics.InSpeech);
        Assert.Contains(run.Events, e => e.Kind == NodeEventKind.SpeechStart);
    }

    private static void ResetStartsOver(RuntimeHint hint)
    {
        using var node = VadRunner.Create("""{"frame_duration_ms":10}""", hint);
        var first = VadRun.Of(node, Stream48k, 1, 48000, 4800);
        node.Reset();
        Assert.Equal(0, Nodes.Managed.Vad.VadStatistics.Read(node).TotalFrames);
        // After a reset the stream may change format: stereo at 16 kHz is accepted.
        var stereo = Signals.Interleave(Signals.Vowels(16000, 16000, 0.2), Signals.Vowels(16000, 16000, 0.2));
        VadRun.Of(node, stereo, 2, 16000, 1600);
        node.Reset();
        var again = VadRun.Of(node, Stream48k, 1, 48000, 4800);
        Assert.Equal(first.Events, again.Events);
    }
}
