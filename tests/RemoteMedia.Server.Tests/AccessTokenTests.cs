using System.Net.WebSockets;

namespace RemoteMedia.Server.Tests;

public sealed class AccessTokenTests
{
    [Fact]
    public async Task A_configured_token_is_required_on_ws()
    {
        await using var server = await RunningServer.StartAsync(new QuietCallHandlers(), "--VoiceServer:AccessToken=s3cret");
        await Assert.ThrowsAsync<WebSocketException>(() => server.ConnectAsync());
        await Assert.ThrowsAsync<WebSocketException>(() => server.ConnectAsync("token=wrong"));
        using var ok = await server.ConnectAsync("token=s3cret");
        Assert.Equal(WebSocketState.Open, ok.Socket.State);
    }
}
