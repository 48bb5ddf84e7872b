namespace RemoteMedia.Server.Sessions;

/// <summary>What a call handler can do with its caller.</summary>
public interface ICallContext
{
    string SessionId { get; }

    /// <summary>Queues one 20 ms frame (960 samples, 48 kHz mono) for the caller; false when the send queue is full.</summary>
    bool WriteAudioFrame(ReadOnlySpan<short> frame);

    /// <summary>Frames queued and not yet sent.</summary>
    int QueuedAudioFrames { get; }

    /// <summary>Sends a JSON-serializable message to the page (data channel when open, else the WebSocket).</summary>
    void Post(object message);
}

/// <summary>
/// The application logic of one call. The server creates one per session; <see cref="OnAudioFrame"/> runs on the
/// media receive thread for every 20 ms frame, so it must only do real-time work and hand the rest off.
/// </summary>
public interface ICallHandler : IDisposable
{
    void OnAudioFrame(ReadOnlySpan<short> frame48kMono);

    /// <summary>A text message from the page's data channel (JSON such as {type:"message",text}); any thread.</summary>
    void OnTextMessage(string text);
}

public interface ICallHandlerFactory
{
    ICallHandler Create(ICallContext context);
}
