using System.Net;
using RemoteMedia.WebRtc;

namespace RemoteMedia.Server.Sessions;

/// <summary>One caller: a WebRTC peer, its call handler, and the channel back to its page.</summary>
public sealed class VoiceSession : ICallContext, IDisposable
{
    private readonly PeerConnection peer;
    private readonly Action<string> postToPage;
    private readonly Action<VoiceSession> onClosed;
    private readonly ICallHandler handler;
    private int disposed;

    internal VoiceSession(string id, string offerSdp, VoiceServerOptions options, ICallHandlerFactory handlers,
        Action<string> postToPage, Action<VoiceSession> onClosed)
    {
        SessionId = id;
        this.postToPage = postToPage;
        this.onClosed = onClosed;
        peer = PeerConnection.CreateFromOffer(offerSdp, new PeerConnectionOptions
        {
            BindAddress = IPAddress.Parse(options.MediaBindAddress),
            ConsentTimeout = TimeSpan.FromSeconds(options.ConsentTimeoutSeconds),
            HandshakeTimeout = TimeSpan.FromSeconds(options.ConnectTimeoutSeconds),
        });
        try
        {
            handler = handlers.Create(this);
        }
        catch
        {
            peer.Dispose();
            throw;
        }
        peer.AudioFrameReceived += handler.OnAudioFrame;
        peer.StateChanged += OnStateChanged;
    }

    public string SessionId { get; }

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public string Answer => peer.LocalDescription;

    public PeerConnectionState State => peer.State;

    public PeerConnectionStats Stats => peer.GetStats();

    public IPEndPoint MediaEndPoint => peer.LocalEndPoint;

    public int QueuedAudioFrames => peer.QueuedAudioFrames;

    public bool WriteAudioFrame(ReadOnlySpan<short> frame) => peer.WriteAudioFrame(frame);

    public void Post(object message) => postToPage(Signaling.SignalingMessages.Serialize(message));

    private void OnStateChanged(object? sender, PeerConnectionState state)
    {
        Post(new { type = "state", state = state.ToString().ToLowerInvariant() });
        if (state is PeerConnectionState.Failed or PeerConnectionState.Closed)
        {
            // Not on the media thread: Dispose joins it.
            _ = Task.Run(Dispose);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }
        peer.AudioFrameReceived -= handler.OnAudioFrame;
        peer.StateChanged -= OnStateChanged;
        peer.Dispose();
        handler.Dispose();
        onClosed(this);
    }
}
