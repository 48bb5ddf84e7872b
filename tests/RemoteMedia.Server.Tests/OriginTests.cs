using System.Net.WebSockets;

namespace RemoteMedia.Server.Tests;

/// <summary>Another web page the user has open must not be able to place calls to the server on their localhost.</summary>
public sealed class OriginTests
{
    [Fact]
    public async Task A_browser_from_another_origin_is_refused_and_the_servers_own_page_and_non_browsers_are_not()
    {
        await using var server = await RunningServer.StartAsync(new QuietCallHandlers());
        var own = server.Address.GetLeftPart(UriPartial.Authority);

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => server.ConnectAsync(origin: "https://evil.example"));
        Assert.Contains("403", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<WebSocketException>(() => server.ConnectAsync(origin: "null"));
        await Assert.ThrowsAsync<WebSocketException>(() => server.ConnectAsync(origin: own.Replace("http://", "https://", StringComparison.Ordinal)));
        await Assert.ThrowsAsync<WebSocketException>(() => server.ConnectAsync(origin: own + "1"));

        using var page = await server.ConnectAsync(origin: own);
        using var pageWithSlash = await server.ConnectAsync(origin: own.ToUpperInvariant() + "/");
        using var tool = await server.ConnectAsync();
        Assert.All(new[] { page, pageWithSlash, tool }, s => Assert.Equal(WebSocketState.Open, s.Socket.State));
    }

    [Fact]
    public async Task Configured_origins_are_allowed_and_a_star_allows_any()
    {
        await using (var server = await RunningServer.StartAsync(new QuietCallHandlers(), "--VoiceServer:AllowedOrigins:0=https://app.example.com"))
        {
            using var listed = await server.ConnectAsync(origin: "https://app.example.com");
            Assert.Equal(WebSocketState.Open, listed.Socket.State);
            await Assert.ThrowsAsync<WebSocketException>(() => server.ConnectAsync(origin: "https://other.example.com"));
        }

        await using var open = await RunningServer.StartAsync(new QuietCallHandlers(), "--VoiceServer:AllowedOrigins:0=*");
        using var any = await open.ConnectAsync(origin: "https://other.example.com");
        Assert.Equal(WebSocketState.Open, any.Socket.State);
    }
}
