using System.Diagnostics;

namespace RemoteMedia.Speech;

/// <summary>
/// One caller's turn-taking: hears an utterance, decides the reply and speaks it, timing each stage for
/// the page and the metrics. It does not own its parts; the session that made them disposes them.
/// Not thread-safe (the recognizer is not): one instance per session, one turn at a time.
/// </summary>
public sealed class VoiceAssistant
{
    private readonly ISpeechRecognizer recognizer;
    private readonly IResponder responder;
    private readonly ISpeechSynthesizer synthesizer;

    public VoiceAssistant(ISpeechRecognizer recognizer, IResponder responder, ISpeechSynthesizer synthesizer)
    {
        ArgumentNullException.ThrowIfNull(recognizer);
        ArgumentNullException.ThrowIfNull(responder);
        ArgumentNullException.ThrowIfNull(synthesizer);
        this.recognizer = recognizer;
        this.responder = responder;
        this.synthesizer = synthesizer;
    }

    /// <summary>The format of <see cref="AssistantTurn.Speech"/>.</summary>
    public AudioFormat SpeechFormat => synthesizer.OutputFormat;

    /// <summary>Runs one turn on a whole utterance: mono f32 at the recognizer's rate (16 kHz).</summary>
    public AssistantTurn Respond(ReadOnlySpan<float> utterance)
    {
        var started = Stopwatch.GetTimestamp();
        var heard = recognizer.Recognize(utterance);
        var recognized = Stopwatch.GetTimestamp();
        var reply = responder.Respond(heard.Text);
        var responded = Stopwatch.GetTimestamp();
        var speech = synthesizer.Synthesize(reply.Text);
        var spoken = Stopwatch.GetTimestamp();
        return new AssistantTurn(heard, reply, speech, new TurnTimings(
            Stopwatch.GetElapsedTime(started, recognized),
            Stopwatch.GetElapsedTime(recognized, responded),
            Stopwatch.GetElapsedTime(responded, spoken)));
    }
}

/// <summary>What one turn heard, answered and said.</summary>
public sealed record AssistantTurn(SpeechRecognitionResult Heard, ResponderReply Reply, SynthesizedSpeech Speech, TurnTimings Timings);

/// <summary>Wall time of each stage of a turn.</summary>
public readonly record struct TurnTimings(TimeSpan Recognition, TimeSpan Responding, TimeSpan Synthesis)
{
    public TimeSpan Total => Recognition + Responding + Synthesis;
}
