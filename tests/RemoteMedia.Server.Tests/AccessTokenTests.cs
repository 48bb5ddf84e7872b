using System.Net;
using System.Net.Http.Headers;
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

    [Theory]
    [InlineData("/connections")]
    [InlineData("/metrics")]
    public async Task A_configured_token_is_required_on_the_operator_endpoints(string path)
    {
        await using var server = await RunningServer.StartAsync(new QuietCallHandlers(), "--VoiceServer:AccessToken=s3cret");
        using (var none = await server.Http.GetAsync(path))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
            Assert.Contains("Bearer", none.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        using (var wrong = new HttpRequestMessage(HttpMethod.Get, path))
        {
            wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cre");
            using var response = await server.Http.SendAsync(wrong);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using (var bearer = new HttpRequestMessage(HttpMethod.Get, path))
        {
            bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret");
            using var response = await server.Http.SendAsync(bearer);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var query = await server.Http.GetAsync(path + "?token=s3cret");
        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
    }

    [Fact]
    public async Task Health_and_the_page_stay_open_with_a_token_and_everything_is_open_without_one()
    {
        await using (var guarded = await RunningServer.StartAsync(new QuietCallHandlers(), "--VoiceServer:AccessToken=s3cret"))
        {
            Assert.Equal(HttpStatusCode.OK, (await guarded.Http.GetAsync("/health")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await guarded.Http.GetAsync("/")).StatusCode);
        }

        await using var open = await RunningServer.StartAsync(new QuietCallHandlers());
        foreach (var path in new[] { "/health", "/connections", "/metrics" })
        {
            Assert.Equal(HttpStatusCode.OK, (await open.Http.GetAsync(path)).StatusCode);
        }
    }
}
