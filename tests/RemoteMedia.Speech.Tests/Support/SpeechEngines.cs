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

    /// <summary>espeak speech for <paramref name="text"/>, resampled to the recognizer's 16 kHz.</summary>
    public float[] Speak16k(string text)
    {
        var speech = Synthesizer.Synthesize(text);
        var audio = TestResampler.Resample(speech.Samples, speech.Format.SampleRate, PocketSphinxRecognizer.ModelSampleRate);
        var silence = new float[(int)(Padding.TotalSeconds * PocketSphinxRecognizer.ModelSampleRate)];
        return [.. silence, .. audio, .. silence];
    }

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
