using System.Net.WebSockets;
using System.Text;
using RemoteMedia.Server.Signaling;

namespace RemoteMedia.Server.Tests;

/// <summary>Inputs the fuzzer (tests/RemoteMedia.Fuzz, target "signaling") found, and the fuzz seeds, as regression tests.</summary>
public sealed class SignalingFuzzRegressionTests : IAsyncLifetime
{
    // Found by the mutation fuzzer: valid JSON whose "type" string holds bytes that are not UTF-8.
    // JsonElement.GetString threw InvalidOperationException out of SignalingMessages.TryParse.
    private static readonly byte[] InvalidUtf8Type = [.. "{\"type\": \"c"u8, .. Enumerable.Repeat((byte)0xDA, 103), 0xFF, 0xFF, .. "lose\"}"u8];

    private readonly QuietCallHandlers handlers = new();
    private RunningServer server = null!;

    public async Task InitializeAsync() => server = await RunningServer.StartAsync(handlers);

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public void A_string_that_is_not_utf8_is_an_error_reply_not_an_exception()
    {
        Assert.Null(SignalingMessages.TryParse(InvalidUtf8Type, out var error));
        Assert.Equal("message is not valid UTF-8", error);
        byte[] badSdp = [.. "{\"type\":\"offer\",\"sdp\":\""u8, 0xC3, 0x28, .. "\"}"u8];
        Assert.Null(SignalingMessages.TryParse(badSdp, out error));
        Assert.Equal("message is not valid UTF-8", error);
    }

    [Fact]
    public void Every_fuzz_seed_parses_to_a_message_or_an_error()
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "RemoteMedia.Fuzz", "corpus", "signaling");
        var files = Directory.GetFiles(dir);
        Assert.NotEmpty(files);
        foreach (var f in files)
        {
            var message = SignalingMessages.TryParse(File.ReadAllBytes(f), out var error);
            Assert.True((message is null) != (error is null), f);
        }
    }

    [Fact]
    public async Task The_server_survives_a_text_frame_that_is_not_utf8_and_keeps_serving()
    {
        using (var signaling = await server.ConnectAsync())
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await signaling.Socket.SendAsync(InvalidUtf8Type, WebSocketMessageType.Text, true, timeout.Token);

            // Either an error reply on a socket that stays usable, or a protocol close; never a crashed endpoint.
            var reply = await signaling.ReceiveAsync();
            if (reply is not null)
            {
                Assert.Equal("error", reply.Value.GetProperty("type").GetString());
                await signaling.SendAsync(new { type = "dance" });
                var again = await signaling.ReceiveAsync("error");
                Assert.NotNull(again);
            }
        }

        using var next = await server.ConnectAsync();
        await next.SendTextAsync("{\"type\":\"hello\"}");
        var error = await next.ReceiveAsync("error");
        Assert.NotNull(error);
        Assert.Contains("unknown message type", error.Value.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, server.Sessions.Count);
    }
}
