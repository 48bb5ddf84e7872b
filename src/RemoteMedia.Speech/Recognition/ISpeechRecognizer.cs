namespace RemoteMedia.Speech;

/// <summary>
/// Turns one utterance of speech into text. Streaming: <see cref="StartUtterance"/>, any number of
/// <c>Feed</c> calls as audio arrives (decoding happens while feeding, so <see cref="FinishUtterance"/> is
/// quick), then <see cref="FinishUtterance"/>. For a whole buffer at once use the <c>Recognize</c> extensions.
/// </summary>
/// <remarks>
/// An instance holds one decoder and is NOT thread-safe: use one per session (or rent one from a
/// <see cref="SpeechRecognizerPool"/>); separate instances may run concurrently on different threads.
/// </remarks>
public interface ISpeechRecognizer : IDisposable
{
    /// <summary>The only input layout accepted: mono at this rate (16 kHz for pocketsphinx's en-us model).</summary>
    int SampleRate { get; }

    /// <summary>True between <see cref="StartUtterance"/> (or the first feed) and <see cref="FinishUtterance"/>.</summary>
    bool IsUtteranceOpen { get; }

    /// <summary>Begins an utterance; feeding without calling this starts one implicitly.</summary>
    void StartUtterance();

    /// <summary>Adds mono 16-bit samples at <see cref="SampleRate"/>.</summary>
    void Feed(ReadOnlySpan<short> samples);

    /// <summary>Adds mono f32 samples in [-1, 1] at <see cref="SampleRate"/>; NaN or infinity is an error.</summary>
    void Feed(ReadOnlySpan<float> samples);

    /// <summary>Ends the utterance and returns what was said. Fails if no audio was fed.</summary>
    SpeechRecognitionResult FinishUtterance();

    /// <summary>Discards the open utterance, if any (barge-in, hang-up).</summary>
    void CancelUtterance();
}

/// <summary>What a recognizer heard in one utterance.</summary>
/// <param name="Text">Lower-case words separated by single spaces; empty when nothing was recognized.</param>
/// <param name="Confidence">
/// Posterior probability of <paramref name="Text"/> in [0, 1] as the engine estimates it. With a small grammar
/// pocketsphinx puts nearly all the mass on its best in-grammar path, so this is close to 1 even for a
/// misheard command; treat it as a weak signal (0 means nothing was recognized).
/// </param>
/// <param name="AudioDuration">Length of the audio fed.</param>
/// <param name="ProcessingTime">Time spent inside the engine for this utterance (feeding and finishing).</param>
/// <param name="Words">Each recognized word with its position in the utterance; fillers and silences left out.</param>
public sealed record SpeechRecognitionResult(
    string Text,
    double Confidence,
    TimeSpan AudioDuration,
    TimeSpan ProcessingTime,
    IReadOnlyList<RecognizedWord> Words)
{
    public bool IsEmpty => Text.Length == 0;
}

/// <summary>A word and where it lies in the utterance.</summary>
public readonly record struct RecognizedWord(string Word, TimeSpan Start, TimeSpan End);
