using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using RemoteMedia.Server.Sessions;
using RemoteMedia.WebRtc;

namespace RemoteMedia.Server.Signaling;

/// <summary>
/// WebSocket signaling at /ws, compatible with the original remotemedia client: one offer per connection
/// gets an answer (or {type:"error"}), trickled candidates are accepted (we are ICE-lite and answer with all
/// of ours), {type:"close"} ends the call. Session events reach the page through the same socket.
/// </summary>
internal sealed class SignalingEndpoint(
    SessionManager sessions, IOptions<VoiceServerOptions> options, IHostApplicationLifetime lifetime, ILogger<SignalingEndpoint> logger)
{
    private const int InitialReadBuffer = 16 * 1024;
    private readonly VoiceServerOptions settings = options.Value;

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("WebSocket signaling endpoint: connect with a WebSocket client");
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        // Shutdown ends every signaling loop at once instead of waiting for the pages to hang up.
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var cancel = ended.Token;
        var outbox = Channel.CreateBounded<string>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest });
        var writer = Task.Run(() => WriteLoop(socket, outbox.Reader, cancel));
        VoiceSession? session = null;
        var offerTimes = new Queue<DateTimeOffset>();
        try
        {
            await ReadLoop(socket, cancel, message =>
            {
                var parsed = SignalingMessages.TryParse(message.Span, out var error);
                if (parsed is null)
                {
                    Reject(outbox, error!);
                    return true;
                }
                switch (parsed.Type)
                {
                    case "offer":
                        if (!AllowOffer(offerTimes))
                        {
                            Reject(outbox, $"too many offers: at most {settings.MaxOffersPerMinute} per minute");
                            return true;
                        }
                        if (session is not null)
                        {
                            Reject(outbox, "this connection already has a call; send {type:\"close\"} first or open a new connection");
                            return true;
                        }
                        if (string.IsNullOrWhiteSpace(parsed.Sdp))
                        {
                            Reject(outbox, "offer has no 'sdp'");
                            return true;
                        }
                        session = CreateSession(parsed.Sdp, outbox);
                        return true;
                    case "ice-candidate":
                        return true; // ICE-lite: the browser checks our advertised candidates; its own are not needed
                    case "close":
                        session?.Dispose();
                        session = null;
                        return false;
                    default:
                        Reject(outbox, $"unknown message type '{parsed.Type}'");
                        return true;
                }
            });
        }
        catch (WebSocketException ex)
        {
            logger.LogDebug("signaling socket ended: {Message}", ex.Message);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            session?.Dispose();
            outbox.Writer.TryComplete();
            await writer;
        }
    }

    private VoiceSession? CreateSession(string sdp, Channel<string> outbox)
    {
        try
        {
            var session = sessions.Create(sdp, text => outbox.Writer.TryWrite(text));
            outbox.Writer.TryWrite(SignalingMessages.Answer(session.Answer, session.SessionId));
            return session;
        }
        catch (SessionLimitException ex)
        {
            Reject(outbox, ex.Message);
        }
        catch (WebRtcException ex)
        {
            Reject(outbox, $"cannot answer the offer: {ex.Message}");
        }
        catch (RemoteMediaException ex)
        {
            Reject(outbox, $"cannot start the session pipeline: {ex.Message}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whatever went wrong stays with this caller: it gets an error, the socket and the other calls carry on.
            logger.LogError(ex, "session creation failed");
            Reject(outbox, "internal error while starting the call; see the server log");
        }
        return null;
    }

    private bool AllowOffer(Queue<DateTimeOffset> times)
    {
        var now = DateTimeOffset.UtcNow;
        while (times.Count > 0 && now - times.Peek() > TimeSpan.FromMinutes(1))
        {
            times.Dequeue();
        }
        if (times.Count >= settings.MaxOffersPerMinute)
        {
            return false;
        }
        times.Enqueue(now);
        return true;
    }

    private void Reject(Channel<string> outbox, string error)
    {
        ServerMetrics.SignalingErrors.Add(1);
        logger.LogInformation("signaling error: {Error}", error);
        outbox.Writer.TryWrite(SignalingMessages.Error(error));
    }

    /// <summary>Reads whole text messages up to the size limit; stops when <paramref name="handle"/> returns false.</summary>
    /// <remarks>
    /// The buffer starts small and grows only for a big message (an SDP is a few KB): renting the whole limit per
    /// connection put a 512 KB array on the large object heap for every caller.
    /// </remarks>
    private async Task ReadLoop(WebSocket socket, CancellationToken cancel, Func<ReadOnlyMemory<byte>, bool> handle)
    {
        var limit = settings.MaxMessageBytes;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialReadBuffer, limit + 1));
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length >= limit)
                    {
                        await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, $"messages are limited to {limit} bytes", cancel);
                        return;
                    }
                    if (length == buffer.Length)
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limit + 1));
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                    result = await socket.ReceiveAsync(buffer.AsMemory(length, Math.Min(buffer.Length, limit + 1) - length), cancel);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cancel);
                    return;
                }
                if (length > limit)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, $"messages are limited to {limit} bytes", cancel);
                    return;
                }
                if (!handle(buffer.AsMemory(0, length)))
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "closed", cancel);
                    return;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task WriteLoop(WebSocket socket, ChannelReader<string> outbox, CancellationToken cancel)
    {
        try
        {
            await foreach (var text in outbox.ReadAllAsync(cancel))
            {
                if (socket.State != WebSocketState.Open)
                {
                    break;
                }
                await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cancel);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The page went away; the session is closed by the read side.
        }
    }
}
