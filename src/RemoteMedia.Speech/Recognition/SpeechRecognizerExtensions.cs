using System.Runtime.InteropServices;

namespace RemoteMedia.Speech;

/// <summary>One-shot recognition of a whole utterance held in memory.</summary>
public static class SpeechRecognizerExtensions
{
    public static SpeechRecognitionResult Recognize(this ISpeechRecognizer recognizer, ReadOnlySpan<float> samples) =>
        RecognizeWhole(recognizer, samples, static (r, s) => r.Feed(s));

    public static SpeechRecognitionResult Recognize(this ISpeechRecognizer recognizer, ReadOnlySpan<short> samples) =>
        RecognizeWhole(recognizer, samples, static (r, s) => r.Feed(s));

    private delegate void Feeder<T>(ISpeechRecognizer recognizer, ReadOnlySpan<T> samples);

    private static SpeechRecognitionResult RecognizeWhole<T>(ISpeechRecognizer recognizer, ReadOnlySpan<T> samples, Feeder<T> feed)
    {
        ArgumentNullException.ThrowIfNull(recognizer);
        recognizer.StartUtterance();
        try
        {
            feed(recognizer, samples);
        }
        catch
        {
            // Leave the recognizer reusable: a bad sample must not strand a half-open utterance.
            recognizer.CancelUtterance();
            throw;
        }
        return recognizer.FinishUtterance();
    }

    /// <summary>
    /// Recognizes interleaved PCM bytes in <paramref name="format"/>, which must be mono f32 or i16 at the
    /// recognizer's rate: anything else is rejected with a message saying what to convert, never
    /// decoded into nonsense.
    /// </summary>
    public static SpeechRecognitionResult Recognize(this ISpeechRecognizer recognizer, ReadOnlySpan<byte> pcm, AudioFormat format)
    {
        ArgumentNullException.ThrowIfNull(recognizer);
        EnsureAccepted(recognizer, format);
        if (pcm.Length % format.BytesPerFrame != 0)
        {
            throw new RemoteMediaException(ErrorCode.InvalidArgument,
                $"{pcm.Length} bytes is not a whole number of {format} frames ({format.BytesPerFrame} bytes each)");
        }
        return format.Sample == SampleFormat.F32
            ? recognizer.Recognize(MemoryMarshal.Cast<byte, float>(pcm))
            : recognizer.Recognize(MemoryMarshal.Cast<byte, short>(pcm));
    }

    /// <summary>Throws unless <paramref name="format"/> is mono f32 or i16 at the recognizer's sample rate.</summary>
    public static void EnsureAccepted(this ISpeechRecognizer recognizer, AudioFormat format)
    {
        ArgumentNullException.ThrowIfNull(recognizer);
        if (format.SampleRate != recognizer.SampleRate || format.Channels != 1
            || (format.Sample != SampleFormat.F32 && format.Sample != SampleFormat.S16))
        {
            throw new RemoteMediaException(ErrorCode.UnsupportedFormat,
                $"speech recognition needs mono f32 or i16 at {recognizer.SampleRate} Hz, got {format}: " +
                "convert and resample first (FormatConverterNode, AudioResampleNode)");
        }
    }
}
