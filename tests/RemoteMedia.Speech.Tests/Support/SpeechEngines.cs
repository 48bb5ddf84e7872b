namespace RemoteMedia.Speech.Tests.Support;

/// <summary>
/// The Debian engines these tests need. Missing packages FAIL the test with the reason (they are part
/// of the project's setup, `./build.sh setup`), rather than silently skipping the speech layer.
/// </summary>
internal static class SpeechEngines
{
    public const string Packages = "libpocketsphinx3 libsphinxbase3 pocketsphinx-en-us libespeak-ng1 espeak-ng-data";

    public static void RequirePocketSphinx(PocketSphinxOptions? options = null)
    {
        if (!PocketSphinxRecognizer.IsAvailable(options, out var reason))
        {
            Assert.Fail($"pocketsphinx is not usable: {reason}. The speech tests need the Debian packages {Packages}.");
        }
    }

    public static void RequireEspeak()
    {
        if (!EspeakSynthesizer.IsAvailable(out var reason))
        {
            Assert.Fail($"espeak-ng is not usable: {reason}. The speech tests need the Debian packages {Packages}.");
        }
    }
}

/// <summary>One synthesizer and one grammar recognizer shared by a test class: creating a decoder costs ~90 ms.</summary>
public sealed class SpeechFixture : IDisposable
{
    /// <summary>Silence around each utterance, as the VAD-triggered buffer's pre-roll and hangover give it.</summary>
    public static readonly TimeSpan Padding = TimeSpan.FromMilliseconds(200);

    private readonly Lazy<PocketSphinxRecognizer> recognizer;

    private readonly Lazy<EspeakSynthesizer> synthesizer = new(() =>
    {
        SpeechEngines.RequireEspeak();
        return new EspeakSynthesizer();
    });

    public SpeechFixture()
    {
        recognizer = new(() =>
        {
            SpeechEngines.RequirePocketSphinx();
            var warm = new PocketSphinxRecognizer();
            // A session's decoder adapts its cepstral normalization to the caller's voice over the first
            // utterances; these tests check recognition in that steady state. First-utterance accuracy of a
            // fresh decoder is measured separately (LifetimeTests, benchmarks/results/speech.md).
            foreach (var phrase in (string[])["hello", "turn on the garage lights", "what time is it"])
            {
                warm.Recognize(Speak16k(phrase));
            }
            return warm;
        });
    }

    public PocketSphinxRecognizer Recognizer => recognizer.Value;

    public EspeakSynthesizer Synthesizer => synthesizer.Value;

    /// <summary>espeak speech for <paramref name="text"/> (one of <see cref="SpokenPhrases.All"/>), padded and resampled to 16 kHz.</summary>
    public float[] Speak16k(string text) => SpokenPhrases.Get(text);

    public void Dispose()
    {
        if (recognizer.IsValueCreated)
        {
            recognizer.Value.Dispose();
        }
        if (synthesizer.IsValueCreated)
        {
            synthesizer.Value.Dispose();
        }
    }
}

/// <summary>
/// Every phrase the tests speak, synthesized once per run in this fixed order. espeak-ng carries a little
/// state from one call to the next (a repeat differs by a few samples), so synthesizing on demand from
/// parallel test classes would make the audio, and borderline recognitions, vary from run to run.
/// </summary>
public static class SpokenPhrases
{
    public static readonly IReadOnlyList<string> All =
    [
        .. RoundTripTests.CommandTexts,
        "hello", "turn on the garage lights", "what time is it", "stop", "goodbye",
        "turn on the hallway lights", "please turn on the kitchen lights",
        "are the kitchen lights on", // appended last: adding a phrase earlier changes the audio of those after it
    ];

    private static readonly Lazy<Dictionary<string, float[]>> Audio = new(Synthesize);

    public static float[] Get(string text)
    {
        Assert.True(Audio.Value.TryGetValue(text, out var audio), $"'{text}' is not in SpokenPhrases.All");
        return (float[])audio.Clone();
    }

    private static Dictionary<string, float[]> Synthesize()
    {
        SpeechEngines.RequireEspeak();
        using var synthesizer = new EspeakSynthesizer();
        var silence = new float[(int)(SpeechFixture.Padding.TotalSeconds * PocketSphinxRecognizer.ModelSampleRate)];
        var audio = new Dictionary<string, float[]>(StringComparer.Ordinal);
        // Hold the engine so no other test class synthesizes in between, and start from a fixed call.
        lock (RemoteMedia.Speech.Interop.EspeakEngine.Gate)
        {
            synthesizer.Synthesize("warm up");
            foreach (var phrase in All.Distinct())
            {
                var speech = synthesizer.Synthesize(phrase);
                var resampled = TestResampler.Resample(speech.Samples, speech.Format.SampleRate, PocketSphinxRecognizer.ModelSampleRate);
                audio[phrase] = [.. silence, .. resampled, .. silence];
            }
        }
        return audio;
    }
}
