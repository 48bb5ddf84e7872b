namespace RemoteMedia.Server.Tests;

public sealed class ShutdownTests
{
    private static string Offer => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "chromium-offer.sdp"));

    [Fact]
    public async Task Stopping_the_host_closes_every_session_and_releases_its_handler()
    {
        var handlers = new QuietCallHandlers();
        var server = await RunningServer.StartAsync(handlers);
        var sessions = server.Sessions;
        using var first = await server.ConnectAsync();
        using var second = await server.ConnectAsync();
        await first.SendAsync(new { type = "offer", sdp = Offer });
        await second.SendAsync(new { type = "offer", sdp = Offer });
        Assert.NotNull(await first.ReceiveAsync("answer"));
        Assert.NotNull(await second.ReceiveAsync("answer"));
        Assert.Equal(2, sessions.Count);
        Assert.Equal(2, handlers.Live);

        await server.DisposeAsync(); // what SIGTERM does: the host stops

        Assert.Equal(0, sessions.Count);
        Assert.Equal(0, handlers.Live);
    }
}
