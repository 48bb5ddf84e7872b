using RemoteMedia.Speech.Tests.Support;

namespace RemoteMedia.Speech.Tests;

/// <summary>The whole speech loop on espeak audio: heard, answered with state, spoken, timed.</summary>
public class VoiceAssistantTests(SpeechFixture speech) : IClassFixture<SpeechFixture>
{
    [Fact]
    public void A_command_is_heard_answered_spoken_and_remembered()
    {
        var responder = new CommandResponder();
        var assistant = new VoiceAssistant(speech.Recognizer, responder, speech.Synthesizer);

        var turn = assistant.Respond(speech.Speak16k("please turn on the kitchen lights"));

        Assert.Equal("please turn on the kitchen lights", turn.Heard.Text);
        Assert.Equal("Okay, the kitchen lights are now on.", turn.Reply.Text);
        Assert.True(turn.Reply.Understood);
        Assert.True(responder.IsLightOn("kitchen"));
        Assert.Equal(assistant.SpeechFormat, turn.Speech.Format);
        Assert.InRange(turn.Speech.Duration.TotalSeconds, 1.0, 4.0);
        Assert.True(turn.Timings.Recognition > TimeSpan.Zero && turn.Timings.Synthesis > TimeSpan.Zero);
        Assert.Equal(turn.Timings.Recognition + turn.Timings.Responding + turn.Timings.Synthesis, turn.Timings.Total);

        var question = assistant.Respond(speech.Speak16k("are the kitchen lights on"));

        Assert.Equal("Yes, the kitchen lights are on.", question.Reply.Text);
    }

    [Fact]
    public void Silence_gets_a_spoken_reply_rather_than_an_error()
    {
        var assistant = new VoiceAssistant(speech.Recognizer, new CommandResponder(), speech.Synthesizer);

        var turn = assistant.Respond(new float[8000]);

        Assert.False(string.IsNullOrEmpty(turn.Reply.Text));
        Assert.NotEmpty(turn.Speech.Samples);
    }

    [Fact]
    public void Parts_are_required()
    {
        Assert.Throws<ArgumentNullException>(() => new VoiceAssistant(null!, new CommandResponder(), speech.Synthesizer));
    }
}
