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
    private volatile DataChannel? pageChannel;
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
        peer.DataChannelOpened += OnDataChannelOpened;
    }

    public string SessionId { get; }

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public string Answer => peer.LocalDescription;

    public PeerConnectionState State => peer.State;

    public PeerConnectionStats Stats => peer.GetStats();

    public IPEndPoint MediaEndPoint => peer.LocalEndPoint;

    public int QueuedAudioFrames => peer.QueuedAudioFrames;

    public bool WriteAudioFrame(ReadOnlySpan<short> frame) => peer.WriteAudioFrame(frame);

    /// <summary>Sends to the page over its data channel when one is open, else over the signaling WebSocket.</summary>
    public void Post(object message)
    {
        var text = Signaling.SignalingMessages.Serialize(message);
        if (pageChannel is not { IsOpen: true } channel || !channel.Send(text))
        {
            postToPage(text);
        }
    }

    private void OnDataChannelOpened(object? sender, DataChannel channel)
    {
        // The original client opens "messages"; any channel the page opens carries our messages if that one is absent.
        if (pageChannel is null || channel.Label == "messages")
        {
            pageChannel = channel;
        }
        channel.MessageReceived += (_, e) =>
        {
            if (e.Text is { } text)
            {
                handler.OnTextMessage(text);
            }
        };
    }

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
        peer.DataChannelOpened -= OnDataChannelOpened;
        // The handler first: its reply worker may still be writing audio to the peer (a caller hanging up mid-reply).
        handler.Dispose();
        peer.Dispose();
        onClosed(this);
    }
}
