using System.Buffers;
using RemoteMedia.Speech.Interop;

namespace RemoteMedia.Speech;

/// <summary>
/// Speech synthesis with espeak-ng (Debian libespeak-ng1 + espeak-ng-data) through P/Invoke, in its
/// synchronous mode: the samples are produced into a buffer, nothing is played. Output is mono 16-bit
/// at espeak's native rate (22050 Hz).
/// </summary>
/// <remarks>
/// Thread-safe but serialized: espeak-ng is one process-global engine that is not thread-safe, so all
/// instances share one lock and synthesize one sentence at a time (a few milliseconds of CPU per sentence, see
/// benchmarks/results/speech.md). Instances are cheap; each carries only its voice settings.
/// </remarks>
public sealed class EspeakSynthesizer : ISpeechSynthesizer
{
    /// <summary>Longest text accepted in one call, so one caller cannot hold the shared engine for long.</summary>
    public const int MaxTextLength = 4096;

    private bool disposed;

    /// <exception cref="RemoteMediaException">The library or its data is missing, or an option is invalid.</exception>
    public EspeakSynthesizer(EspeakOptions? options = null)
    {
        Options = options ?? new EspeakOptions();
        Options.Validate();
        lock (EspeakEngine.Gate)
        {
            var rate = EspeakEngine.EnsureInitialized(Options.DataPath);
            EspeakEngine.Apply(Options); // fails now, not at the first reply, if the voice does not exist
            OutputFormat = AudioFormat.S16(rate, 1);
            EngineVersion = EspeakEngine.Version();
        }
    }

    public EspeakOptions Options { get; }

    public AudioFormat OutputFormat { get; }

    /// <summary>The espeak-ng version string.</summary>
    public string EngineVersion { get; }

    /// <summary>Whether libespeak-ng can be loaded here, and if not, why.</summary>
    public static bool IsAvailable(out string reason) =>
        NativeSpeechLibraries.TryEnsure(EspeakNative.Library, "libespeak-ng1", out reason);

    public void Synthesize(string text, IBufferWriter<short> destination)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(destination);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new RemoteMediaException(ErrorCode.InvalidArgument, "nothing to say: the text is empty");
        }
        if (text.Length > MaxTextLength)
        {
            throw new RemoteMediaException(ErrorCode.InvalidArgument, $"the text is {text.Length} characters; at most {MaxTextLength} are synthesized in one call");
        }
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new RemoteMediaException(ErrorCode.InvalidArgument, "the text contains a NUL character");
        }
        var utf8 = Utf8.Terminated(text);
        lock (EspeakEngine.Gate)
        {
            EspeakEngine.Apply(Options);
            EspeakEngine.Synthesize(utf8, destination);
        }
    }

    public void Dispose() => disposed = true;
}
