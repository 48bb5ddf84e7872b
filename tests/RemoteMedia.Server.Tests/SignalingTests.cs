using System.Net;
using System.Net.WebSockets;
using System.Net.Http.Json;
using System.Text.Json;

namespace RemoteMedia.Server.Tests;

/// <summary>The /ws protocol of the original client, its limits, and bad input, against a real server.</summary>
public sealed class SignalingTests : IAsyncLifetime
{
    private readonly QuietCallHandlers handlers = new();
    private RunningServer server = null!;

    private static string Offer(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    public async Task InitializeAsync() =>
        server = await RunningServer.StartAsync(handlers, "--VoiceServer:MaxSessions=2", "--VoiceServer:MaxOffersPerMinute=3", "--VoiceServer:MaxMessageBytes=65536");

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Theory]
    [InlineData("chromium-offer.sdp")]
    [InlineData("aiortc-offer.sdp")]
    public async Task Offer_gets_an_ice_lite_answer_and_close_ends_the_session(string fixture)
    {
        using var signaling = await server.ConnectAsync();
        await signaling.SendAsync(new { type = "offer", sdp = Offer(fixture) });
        var answer = await signaling.ReceiveAsync("answer");
        Assert.NotNull(answer);
        var sdp = answer.Value.GetProperty("sdp").GetString()!;
        Assert.Contains("a=ice-lite", sdp, StringComparison.Ordinal);
        Assert.Contains("a=setup:passive", sdp, StringComparison.Ordinal);
        Assert.Contains("a=fingerprint:sha-256", sdp, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", sdp, StringComparison.Ordinal);

        var connections = await server.Http.GetFromJsonAsync<JsonElement>("/connections");
        Assert.Equal(1, connections.GetProperty("count").GetInt32());
        Assert.Equal(1, handlers.Live);

        await signaling.SendAsync(new { type = "ice-candidate", candidate = new { candidate = "candidate:1 1 udp 1 127.0.0.1 9 typ host", sdpMid = "0", sdpMLineIndex = 0 } });
        await signaling.SendAsync(new { type = "close" });
        Assert.Null(await signaling.ReceiveAsync("never"));
        await Eventually(() => server.Sessions.Count == 0 && handlers.Live == 0);
    }

    [Fact]
    public async Task Bad_messages_get_error_replies_and_the_socket_stays_usable()
    {
        using var signaling = await server.ConnectAsync();
        await signaling.SendTextAsync("this is not json");
        Assert.Contains("not valid JSON", await ErrorText(signaling), StringComparison.Ordinal);
        await signaling.SendTextAsync("[1,2,3]");
        Assert.Contains("JSON object", await ErrorText(signaling), StringComparison.Ordinal);
        await signaling.SendAsync(new { kind = "offer" });
        Assert.Contains("'type'", await ErrorText(signaling), StringComparison.Ordinal);
        await signaling.SendAsync(new { type = "dance" });
        Assert.Contains("unknown message type 'dance'", await ErrorText(signaling), StringComparison.Ordinal);
        await signaling.SendAsync(new { type = "offer" });
        Assert.Contains("no 'sdp'", await ErrorText(signaling), StringComparison.Ordinal);
        await signaling.SendAsync(new { type = "offer", sdp = "v=0\r\nthis is garbage\r\n" });
        Assert.Contains("cannot answer the offer", await ErrorText(signaling), StringComparison.Ordinal);
        Assert.Equal(0, server.Sessions.Count);
    }

    [Fact]
    public async Task An_offer_without_audio_is_refused()
    {
        var videoOnly = string.Join("\r\n", Offer("chromium-offer.sdp").Split("\r\n").TakeWhile(l => !l.StartsWith("m=audio", StringComparison.Ordinal)));
        using var signaling = await server.ConnectAsync();
        await signaling.SendAsync(new { type = "offer", sdp = videoOnly + "\r\n" });
        Assert.Contains("cannot answer the offer", await ErrorText(signaling), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Second_offer_on_one_socket_and_offer_floods_are_refused()
    {
        using var signaling = await server.ConnectAsync();
        await signaling.SendAsync(new { type = "offer", sdp = Offer("chromium-offer.sdp") });
        Assert.NotNull(await signaling.ReceiveAsync("answer"));
        await signaling.SendAsync(new { type = "offer", sdp = Offer("chromium-offer.sdp") });
        Assert.Contains("already has a call", await ErrorText(signaling), StringComparison.Ordinal);
        await signaling.SendAsync(new { type = "offer", sdp = Offer("chromium-offer.sdp") });
        Assert.Contains("already has a call", await ErrorText(signaling), StringComparison.Ordinal);
        await signaling.SendAsync(new { type = "offer", sdp = Offer("chromium-offer.sdp") });
        Assert.Contains("too many offers", await ErrorText(signaling), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_caller_over_the_session_limit_gets_a_clear_error_and_others_are_unaffected()
    {
        using var first = await server.ConnectAsync();
        using var second = await server.ConnectAsync();
        using var third = await server.ConnectAsync();
        await first.SendAsync(new { type = "offer", sdp = Offer("chromium-offer.sdp") });
        Assert.NotNull(await first.ReceiveAsync("answer"));
        await second.SendAsync(new { type = "offer", sdp = Offer("aiortc-offer.sdp") });
        Assert.NotNull(await second.ReceiveAsync("answer"));
        await third.SendAsync(new { type = "offer", sdp = Offer("chromium-offer.sdp") });
        Assert.Contains("server is full", await ErrorText(third), StringComparison.Ordinal);
        Assert.Equal(2, server.Sessions.Count);

        first.Socket.Abort(); // a caller that vanishes mid-call
        await Eventually(() => server.Sessions.Count == 1);
        await third.SendAsync(new { type = "offer", sdp = Offer("chromium-offer.sdp") });
        Assert.NotNull(await third.ReceiveAsync("answer"));
    }

    [Fact]
    public async Task Oversized_messages_close_the_socket_with_message_too_big()
    {
        using var signaling = await server.ConnectAsync();
        await signaling.SendTextAsync(new string('x', 70_000));
        Assert.Null(await signaling.ReceiveAsync());
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, signaling.Socket.CloseStatus);
    }

    [Fact]
    public async Task Messages_bigger_than_the_initial_read_buffer_but_within_the_limit_are_read_whole()
    {
        // The read buffer starts at 16 KB and grows: a 60 KB message must arrive in one piece, then small ones still work.
        using var signaling = await server.ConnectAsync();
        await signaling.SendAsync(new { type = "dance", padding = new string('x', 60_000) });
        Assert.Contains("unknown message type 'dance'", await ErrorText(signaling), StringComparison.Ordinal);
        await signaling.SendAsync(new { type = "tango" });
        Assert.Contains("unknown message type 'tango'", await ErrorText(signaling), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_page_and_plain_http_on_ws_answer_sensibly()
    {
        var health = await server.Http.GetFromJsonAsync<JsonElement>("/health");
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Contains(health.GetProperty("runtime").GetString(), new[] { "native", "managed" });

        var page = await server.Http.GetStringAsync("/");
        Assert.Contains("RemoteMedia voice assistant", page, StringComparison.Ordinal);
        Assert.Contains("app.js", page, StringComparison.Ordinal);

        var plain = await server.Http.GetAsync("/ws");
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);

        var metrics = await server.Http.GetStringAsync("/metrics");
        Assert.Contains("remotemedia_sessions_live", metrics, StringComparison.Ordinal);
    }

    private static async Task<string> ErrorText(Signaling signaling)
    {
        var error = await signaling.ReceiveAsync("error");
        Assert.NotNull(error);
        return error.Value.GetProperty("message").GetString()!;
    }

    private static async Task Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(100);
        }
        Assert.True(condition());
    }
}
