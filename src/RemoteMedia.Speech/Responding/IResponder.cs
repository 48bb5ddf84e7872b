namespace RemoteMedia.Speech;

/// <summary>Decides what to say back to a transcript. Implementations may keep per-session state.</summary>
public interface IResponder
{
    ResponderReply Respond(string transcript);
}

/// <summary>A reply to one transcript.</summary>
/// <param name="Text">The sentence to speak and show.</param>
/// <param name="Understood">False when the transcript was empty or not a known request (the text then says what is possible).</param>
/// <param name="StopRequested">The caller asked to stop: a host should cut any reply audio still playing.</param>
public sealed record ResponderReply(string Text, bool Understood, bool StopRequested = false);
