using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using RemoteMedia.Server.Sessions;

namespace RemoteMedia.Server.Tests;

/// <summary>A real voice server (Kestrel on 127.0.0.1, an ephemeral port) for one test class.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private RunningServer(WebApplication app, Uri address)
    {
        this.app = app;
        Address = address;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(20) };
    }

    public Uri Address { get; }

    public HttpClient Http { get; }

    public SessionManager Sessions => app.Services.GetRequiredService<SessionManager>();

    public IServiceProvider Services => app.Services;

    public static async Task<RunningServer> StartAsync(ICallHandlerFactory? handlers = null, params string[] settings)
    {
        var args = new List<string> { "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", "--VoiceServer:WarmUp=false" };
        args.AddRange(settings);
        var app = VoiceServerApp.Build([.. args], services =>
        {
            if (handlers is not null)
            {
                services.AddSingleton(handlers);
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningServer(app, new Uri(address));
    }

    public async Task<Signaling> ConnectAsync(string query = "", string? origin = null)
    {
        var socket = new ClientWebSocket();
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        var uri = new UriBuilder(Address) { Scheme = "ws", Path = "/ws", Query = query }.Uri;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(uri, timeout.Token);
        return new Signaling(socket);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>A signaling client speaking the page's JSON protocol.</summary>
public sealed class Signaling(ClientWebSocket socket) : IDisposable
{
    public ClientWebSocket Socket => socket;

    public Task SendAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    public async Task SendTextAsync(string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    /// <summary>The next message of <paramref name="type"/> (others are skipped), or null if the socket closes.</summary>
    public async Task<JsonElement?> ReceiveAsync(string? type = null, int timeoutSeconds = 15)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        var buffer = new byte[1 << 20];
        while (true)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
                length += result.Count;
            }
            while (!result.EndOfMessage);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }
            var message = JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement.Clone();
            if (type is null || message.GetProperty("type").GetString() == type)
            {
                return message;
            }
        }
    }

    public void Dispose() => socket.Dispose();
}
