using RemoteMedia.Pipeline.Nodes;

namespace RemoteMedia.Pipeline.Tests;

public class VadTriggeredBufferTests
{
    private static readonly AudioFormat Mono16k = AudioFormat.F32(16000, 1);

    private static List<float[]> Segment(string config, float[] signal, int pushFrames = 320)
    {
        using var pipeline = AudioPipeline.CreateBuilder("seg").WithOptions(new PipelineOptions { Registry = TestNodes.Registry() })
            .Then("vad", TestNodes.EnergyVad)
            .Then("seg", VadTriggeredBufferNode.NodeKind, config)
            .Build();
        var utterances = new List<float[]>();
        using var session = pipeline.OpenSession(Mono16k, (_, _, data) => utterances.Add(TestSignals.Floats(data.ToArray())));
        for (var offset = 0; offset < signal.Length; offset += pushFrames)
        {
            session.Push(signal.AsSpan(offset, Math.Min(pushFrames, signal.Length - offset)));
        }
        session.Finish();
        return utterances;
    }

    [Fact]
    public void EmitsOneBufferPerUtteranceAndDropsTooShortOnes()
    {
        var signal = TestSignals.Segments(16000, (0.5, false), (0.8, true), (0.6, false), (0.1, true), (0.6, false), (0.5, true), (0.7, false));
        var utterances = Segment("""{"min_speech_duration_s":0.3,"silence_duration_s":0.4,"pre_speech_buffer_s":0.2}""", signal);
        Assert.Equal(2, utterances.Count);
        Assert.Equal((int)((0.2 + 0.8 + 0.4) * 16000), utterances[0].Length);
        Assert.Equal((int)((0.2 + 0.5 + 0.4) * 16000), utterances[1].Length);
        // The pre-roll is silence and the speech starts right after it.
        Assert.All(utterances[0].AsSpan(0, 3200).ToArray(), s => Assert.Equal(0f, s));
        Assert.NotEqual(0f, utterances[0][3200 + 10]);
    }

    [Fact]
    public void ForcesAnUtteranceOutAtTheMaximumDuration()
    {
        var signal = TestSignals.Segments(16000, (0.2, false), (2.5, true), (0.5, false));
        var utterances = Segment("""{"min_speech_duration_s":0.1,"max_speech_duration_s":1.0,"silence_duration_s":0.3,"pre_speech_buffer_s":0}""", signal);
        Assert.Equal(3, utterances.Count);
        Assert.Equal(16000, utterances[0].Length);
        Assert.Equal(16000, utterances[1].Length);
        Assert.Equal((int)((0.5 + 0.3) * 16000), utterances[2].Length);
    }

    [Fact]
    public void AnUtteranceLongerThanTheFirstBufferComesOutWholeAndUnchanged()
    {
        // The utterance buffer starts at pre-roll + 1 s and grows; 6.3 s of speech crosses several doublings.
        var signal = TestSignals.Segments(16000, (0.5, false), (6.3, true), (0.6, false), (1.7, true), (0.6, false));
        var utterances = Segment("""{"min_speech_duration_s":0.2,"max_speech_duration_s":10,"silence_duration_s":0.4,"pre_speech_buffer_s":0.2}""", signal);
        Assert.Equal(2, utterances.Count);
        // Each utterance is the signal itself, unchanged, from 0.2 s before its tone starts (the test VAD's onset may
        // land on the tone's first sample, which is 0, or the next one).
        static bool IsSliceNear(float[] signal, float[] utterance, double toneStartSeconds) =>
            Enumerable.Range((int)((toneStartSeconds - 0.2) * 16000) - 1, 3)
                .Any(o => signal.AsSpan(o, utterance.Length).SequenceEqual(utterance));
        Assert.Equal((int)((0.2 + 6.3 + 0.4) * 16000), utterances[0].Length);
        Assert.True(IsSliceNear(signal, utterances[0], 0.5));
        Assert.Equal((int)((0.2 + 1.7 + 0.4) * 16000), utterances[1].Length);
        Assert.True(IsSliceNear(signal, utterances[1], 0.5 + 6.3 + 0.6));
    }

    [Fact]
    public void SpeechStillGoingAtTheEndIsEmittedOnFlush()
    {
        var signal = TestSignals.Segments(16000, (0.3, false), (0.6, true));
        var utterances = Segment("""{"min_speech_duration_s":0.2,"pre_speech_buffer_s":0.1}""", signal, pushFrames: 7);
        Assert.Equal((int)(0.7 * 16000), Assert.Single(utterances).Length);
    }

    [Fact]
    public void WithoutEventsNothingIsSpeech()
    {
        using var node = new VadTriggeredBufferNode("""{"min_speech_duration_s":0}""");
        var output = new byte[node.GetOutputShape(Mono16k, 1600).MaxBytes];
        Assert.Equal(0, node.Process(Mono16k, TestSignals.Bytes(TestSignals.Sine(1600, 1, 16000)), output).Frames);
        Assert.Equal(0, node.Flush(output).Frames);
    }

    [Theory]
    [InlineData("""{"max_speech_duration_s":0.1,"min_speech_duration_s":1}""", "'max_speech_duration_s'")]
    [InlineData("""{"silence_duration_s":"long"}""", "'silence_duration_s' must be a number")]
    [InlineData("""{"pre_speech_buffer_s":-1}""", "'pre_speech_buffer_s' must be between")]
    [InlineData("""{"speech":1}""", "unknown parameter(s) 'speech'")]
    public void BadParametersAreNamed(string config, string expected)
    {
        var ex = Assert.Throws<RemoteMediaException>(() => new VadTriggeredBufferNode(config));
        Assert.Equal(ErrorCode.InvalidConfig, ex.ErrorCode);
        Assert.Contains(expected, ex.Message);
    }
}
