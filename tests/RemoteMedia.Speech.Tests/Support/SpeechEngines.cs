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
    private readonly Lazy<PocketSphinxRecognizer> recognizer = new(() =>
    {
        SpeechEngines.RequirePocketSphinx();
        return new PocketSphinxRecognizer();
    });

    private readonly Lazy<EspeakSynthesizer> synthesizer = new(() =>
    {
        SpeechEngines.RequireEspeak();
        return new EspeakSynthesizer();
    });

    public PocketSphinxRecognizer Recognizer => recognizer.Value;

    public EspeakSynthesizer Synthesizer => synthesizer.Value;

    /// <summary>espeak speech for <paramref name="text"/>, resampled to the recognizer's 16 kHz.</summary>
    public float[] Speak16k(string text)
    {
        var speech = Synthesizer.Synthesize(text);
        return TestResampler.Resample(speech.Samples, speech.Format.SampleRate, PocketSphinxRecognizer.ModelSampleRate);
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
