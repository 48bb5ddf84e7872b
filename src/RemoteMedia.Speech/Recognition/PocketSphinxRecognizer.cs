using System.Diagnostics;
using System.Runtime.InteropServices;
using RemoteMedia.Speech.Interop;

namespace RemoteMedia.Speech;

/// <summary>
/// Speech recognition with CMU pocketsphinx (Debian libpocketsphinx3, model pocketsphinx-en-us) through
/// P/Invoke. By default it listens for the <see cref="CommandGrammar"/> sentences only, which is accurate
/// on synthetic and clear voices; <see cref="RecognitionVocabulary.GeneralLanguageModel"/> is open-vocabulary.
/// </summary>
/// <remarks>
/// One instance owns one decoder with its own copy of the model (~100 ms of CPU to create) and is not thread-safe:
/// give each session its own, or share a few through <see cref="SpeechRecognizerPool"/>. Different
/// instances decode concurrently without locking; only construction is serialized, because sphinxbase's
/// logging state is process-global. Constructing one silences sphinx's stderr log for the process.
/// Accuracy improves over a session as the decoder's cepstral normalization adapts to the caller, so
/// reusing decoders (a pool) is better than creating one per utterance; see
/// <see cref="PocketSphinxOptions.RedecodeFirstUtterance"/> for how the first utterance is handled.
/// </remarks>
public sealed unsafe class PocketSphinxRecognizer : ISpeechRecognizer
{
    /// <summary>The rate of the en-us acoustic model.</summary>
    public const int ModelSampleRate = 16_000;

    private const double SecondsPerFrame = 0.01; // pocketsphinx's default -frate 100
    private const int ConversionChunk = 1024;

    private readonly SafeDecoderHandle decoder;
    private readonly int maxKeptSamples;
    private short[] kept = [];
    private bool keeping;
    private bool normalizationAdapted;
    private long samplesFed;
    private long engineTicks;

    /// <exception cref="RemoteMediaException">The library, a model file or the grammar is missing or invalid.</exception>
    public PocketSphinxRecognizer(PocketSphinxOptions? options = null)
    {
        Options = options ?? new PocketSphinxOptions();
        maxKeptSamples = (int)Math.Clamp(Options.MaxRedecodedUtterance.TotalSeconds * ModelSampleRate, 0, int.MaxValue);
        decoder = PocketSphinxDecoderFactory.Create(Options);
    }

    public PocketSphinxOptions Options { get; }

    public int SampleRate => ModelSampleRate;

    public bool IsUtteranceOpen { get; private set; }

    /// <summary>Whether a recognizer with <paramref name="options"/> can be created here, and if not, why.</summary>
    public static bool IsAvailable(PocketSphinxOptions? options, out string reason) =>
        PocketSphinxDecoderFactory.IsAvailable(options ?? new PocketSphinxOptions(), out reason);

    public void StartUtterance()
    {
        ObjectDisposedException.ThrowIf(decoder.IsClosed, this);
        if (IsUtteranceOpen)
        {
            throw new RemoteMediaException(ErrorCode.StreamMismatch, "an utterance is already open: finish or cancel it first");
        }
        Check(PocketSphinxNative.ps_start_utt(decoder), nameof(PocketSphinxNative.ps_start_utt));
        IsUtteranceOpen = true;
        keeping = Options.RedecodeFirstUtterance && !normalizationAdapted;
        samplesFed = 0;
        engineTicks = 0;
    }

    public void Feed(ReadOnlySpan<short> samples)
    {
        ObjectDisposedException.ThrowIf(decoder.IsClosed, this);
        if (!IsUtteranceOpen)
        {
            StartUtterance();
        }
        if (samples.IsEmpty)
        {
            return;
        }
        if (keeping)
        {
            Keep(samples);
        }
        Decode(samples);
        samplesFed += samples.Length;
    }

    public void Feed(ReadOnlySpan<float> samples)
    {
        ObjectDisposedException.ThrowIf(decoder.IsClosed, this);
        if (!IsUtteranceOpen)
        {
            StartUtterance();
        }
        Span<short> converted = stackalloc short[ConversionChunk];
        for (var offset = 0; offset < samples.Length; offset += ConversionChunk)
        {
            var chunk = samples.Slice(offset, Math.Min(ConversionChunk, samples.Length - offset));
            SampleConversion.ToInt16(chunk, converted, samplesFed);
            Feed(converted[..chunk.Length]);
        }
    }

    public SpeechRecognitionResult FinishUtterance()
    {
        ObjectDisposedException.ThrowIf(decoder.IsClosed, this);
        if (!IsUtteranceOpen)
        {
            throw new RemoteMediaException(ErrorCode.StreamMismatch, "no utterance is open: feed audio before finishing");
        }
        IsUtteranceOpen = false;
        if (samplesFed == 0)
        {
            PocketSphinxNative.ps_end_utt(decoder);
            throw new RemoteMediaException(ErrorCode.InvalidArgument, "the utterance is empty: no audio samples were fed");
        }
        var started = Stopwatch.GetTimestamp();
        Check(PocketSphinxNative.ps_end_utt(decoder), nameof(PocketSphinxNative.ps_end_utt));
        normalizationAdapted = true; // ps_end_utt updated the running cepstral mean from this utterance
        if (keeping)
        {
            // Second pass over the kept audio, now normalized by a mean that has seen this voice. One pass
            // is enough: the mean jumps to this utterance's own at the first update (a third pass moved it
            // by < 0.3 and changed no transcript).
            keeping = false;
            Check(PocketSphinxNative.ps_start_utt(decoder), nameof(PocketSphinxNative.ps_start_utt));
            Decode(kept.AsSpan(0, (int)samplesFed));
            Check(PocketSphinxNative.ps_end_utt(decoder), nameof(PocketSphinxNative.ps_end_utt));
            kept = []; // never needed again
        }
        var text = Marshal.PtrToStringUTF8((nint)PocketSphinxNative.ps_get_hyp(decoder, null)) ?? string.Empty;
        var confidence = text.Length == 0 ? 0 : Posterior();
        var words = text.Length == 0 ? [] : Segments();
        engineTicks += Stopwatch.GetTimestamp() - started;
        return new SpeechRecognitionResult(
            text.Trim(),
            confidence,
            TimeSpan.FromSeconds((double)samplesFed / SampleRate),
            Stopwatch.GetElapsedTime(0, engineTicks),
            words);
    }

    public void CancelUtterance()
    {
        if (IsUtteranceOpen && !decoder.IsClosed)
        {
            IsUtteranceOpen = false;
            PocketSphinxNative.ps_end_utt(decoder);
        }
    }

    public void Dispose() => decoder.Dispose();

    private void Decode(ReadOnlySpan<short> samples)
    {
        var started = Stopwatch.GetTimestamp();
        int searched;
        fixed (short* data = samples)
        {
            searched = PocketSphinxNative.ps_process_raw(decoder, data, (nuint)samples.Length, 0, 0);
        }
        engineTicks += Stopwatch.GetTimestamp() - started;
        Check(searched, nameof(PocketSphinxNative.ps_process_raw));
    }

    /// <summary>Keeps the first utterance for its second decode, unless it outgrows the limit.</summary>
    private void Keep(ReadOnlySpan<short> samples)
    {
        var needed = samplesFed + samples.Length;
        if (needed > maxKeptSamples)
        {
            keeping = false;
            kept = [];
            return;
        }
        if (needed > kept.Length)
        {
            Array.Resize(ref kept, (int)Math.Min(maxKeptSamples, Math.Max(needed, Math.Max(4 * ModelSampleRate, 2L * kept.Length))));
        }
        samples.CopyTo(kept.AsSpan((int)samplesFed));
    }

    private double Posterior()
    {
        var logPosterior = PocketSphinxNative.ps_get_prob(decoder);
        var probability = PocketSphinxNative.logmath_exp(PocketSphinxNative.ps_get_logmath(decoder), logPosterior);
        return double.IsFinite(probability) ? Math.Clamp(probability, 0, 1) : 0;
    }

    private List<RecognizedWord> Segments()
    {
        // This pocketsphinx counts segment frames from the decoder's creation, not from the utterance, so
        // times are taken relative to the first segment (the utterance's leading silence or first word).
        var words = new List<RecognizedWord>();
        int? firstFrame = null;
        var segment = PocketSphinxNative.ps_seg_iter(decoder);
        while (segment != 0)
        {
            var word = Marshal.PtrToStringUTF8((nint)PocketSphinxNative.ps_seg_word(segment)) ?? string.Empty;
            int startFrame, endFrame;
            PocketSphinxNative.ps_seg_frames(segment, &startFrame, &endFrame);
            firstFrame ??= startFrame;
            if (IsSpokenWord(word))
            {
                words.Add(new RecognizedWord(
                    StripPronunciationVariant(word),
                    TimeSpan.FromSeconds((startFrame - firstFrame.Value) * SecondsPerFrame),
                    TimeSpan.FromSeconds((endFrame + 1 - firstFrame.Value) * SecondsPerFrame)));
            }
            segment = PocketSphinxNative.ps_seg_next(segment); // frees the iterator when it returns NULL
        }
        return words;
    }

    // Silences (<sil>, <s>, </s>), noise fillers ([NOISE]) and grammar epsilon nodes ((NULL)) are not words.
    private static bool IsSpokenWord(string word) =>
        word.Length > 0 && word[0] is not ('<' or '[' or '(');

    // The dictionary lists alternative pronunciations as "the(2)".
    private static string StripPronunciationVariant(string word)
    {
        var paren = word.IndexOf('(', StringComparison.Ordinal);
        return paren > 0 ? word[..paren] : word;
    }

    private static void Check(int status, string function)
    {
        if (status < 0)
        {
            throw new RemoteMediaException(ErrorCode.Internal, $"{function} failed with status {status}", function);
        }
    }
}
