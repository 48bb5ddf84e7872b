using RemoteMedia.Speech.Tests.Support;

namespace RemoteMedia.Speech.Tests;

/// <summary>
/// espeak-ng speaks a command, it is resampled to 16 kHz, and pocketsphinx with the grammar hears it exactly
/// (in a session's steady state; see the fixture, and benchmarks/results/speech.md for the whole grammar).
/// </summary>
public class RoundTripTests(SpeechFixture speech) : IClassFixture<SpeechFixture>
{
    public static readonly string[] CommandTexts =
    [
        "please turn on the kitchen lights",
        "turn off the kitchen lights",
        "turn on the living room lights",
        "please turn off the bedroom lights",
        "turn on the garage lights",
        "turn off all the lights",
        "are the office lights on",
        "what time is it",
        "hello",
        "stop",
        "goodbye",
        "what day is it",
        "thank you",
    ];

    public static TheoryData<string> Commands => new(CommandTexts);

    [Theory]
    [MemberData(nameof(Commands))]
    public void Synthesized_command_is_recognized_exactly(string command)
    {
        var audio = speech.Speak16k(command);

        var result = speech.Recognizer.Recognize(audio);

        Assert.Equal(command, result.Text);
        Assert.Equal(command.Split(' '), result.Words.Select(w => w.Word));
        Assert.InRange(result.Confidence, 0, 1);
        Assert.Equal(audio.Length / 16_000.0, result.AudioDuration.TotalSeconds, 3);
    }
}
