using Microsoft.Extensions.Options;
using RemoteMedia.Server.Sessions;
using RemoteMedia.Speech;

namespace RemoteMedia.Server.Assistant;

/// <summary>
/// What every call shares: a fixed pool of recognizers (utterances take turns for them), one synthesizer
/// (espeak-ng is process-global, so calls take turns), and the responder factory. It is also the
/// <see cref="ICallHandlerFactory"/> that starts an <see cref="AssistantCall"/> per session.
/// </summary>
public sealed class AssistantServices : ICallHandlerFactory, IDisposable
{
    private readonly Lazy<ISpeechSynthesizer> synthesizer;
    private readonly Func<IResponder> responders;
    private readonly object synthesisGate = new();

    public AssistantServices(IOptions<VoiceServerOptions> options, ILogger<AssistantServices> logger,
        Func<ISpeechRecognizer>? recognizers = null, Func<ISpeechSynthesizer>? synthesizer = null, Func<IResponder>? responders = null)
    {
        Runtime = options.Value.Runtime;
        PreprocessOnly = options.Value.PreprocessOnly;
        Logger = logger;
        ArgumentOutOfRangeException.ThrowIfNegative(options.Value.MaxConcurrentRecognitions, $"{VoiceServerOptions.Section}:{nameof(VoiceServerOptions.MaxConcurrentRecognitions)}");
        var decoders = options.Value.MaxConcurrentRecognitions > 0 ? options.Value.MaxConcurrentRecognitions : Math.Max(2, Environment.ProcessorCount);
        Recognizers = new SpeechRecognizerPool(recognizers ?? (() => new PocketSphinxRecognizer()), maxRecognizers: decoders);
        this.synthesizer = new Lazy<ISpeechSynthesizer>(synthesizer ?? (() => new EspeakSynthesizer()));
        this.responders = responders ?? (() => new CommandResponder());
    }

    public RuntimeHint Runtime { get; }

    /// <summary>Utterances are reported, not recognized or answered (<see cref="VoiceServerOptions.PreprocessOnly"/>).</summary>
    public bool PreprocessOnly { get; }

    public ILogger Logger { get; }

    public SpeechRecognizerPool Recognizers { get; }

    public IResponder CreateResponder() => responders();

    public SynthesizedSpeech Synthesize(string text)
    {
        lock (synthesisGate)
        {
            return synthesizer.Value.Synthesize(text);
        }
    }

    public ICallHandler Create(ICallContext context) => new AssistantCall(context, this);

    public void Dispose()
    {
        Recognizers.Dispose();
        if (synthesizer.IsValueCreated)
        {
            synthesizer.Value.Dispose();
        }
    }
}
