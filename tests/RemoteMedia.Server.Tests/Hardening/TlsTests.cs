using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace RemoteMedia.Server.Tests.Hardening;

/// <summary>
/// The documented way to expose the server beyond localhost (SECURITY.md): Kestrel HTTPS from configuration
/// (--urls https://... plus Kestrel:Certificates:Default:Path/KeyPath, PEM files) and the /ws access token.
/// Here on 127.0.0.1 with a throwaway self-signed certificate that the client pins.
/// </summary>
public sealed class TlsTests : IDisposable
{
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("rm-tls-");

    public void Dispose() => work.Delete(recursive: true);

    [Fact]
    public async Task Https_and_wss_with_a_configured_certificate_and_token()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certPath = Path.Combine(work.FullName, "server.crt");
        var keyPath = Path.Combine(work.FullName, "server.key");
        await File.WriteAllTextAsync(certPath, cert.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());

        await using var server = await RunningServer.StartAsync(
            new QuietCallHandlers(),
            "--urls", "https://127.0.0.1:0",
            $"--Kestrel:Certificates:Default:Path={certPath}",
            $"--Kestrel:Certificates:Default:KeyPath={keyPath}",
            "--VoiceServer:AccessToken=tls-s3cret");
        Assert.Equal("https", server.Address.Scheme);
        string pinned = cert.GetCertHashString(HashAlgorithmName.SHA256);
        bool Pinned(X509Certificate? c) => c is not null && c.GetCertHashString(HashAlgorithmName.SHA256) == pinned;

        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => Pinned(c) };
        using var http = new HttpClient(handler) { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(20) };
        var health = await http.GetFromJsonAsync<JsonElement>("/health");
        Assert.Equal("ok", health.GetProperty("status").GetString());

        // Plain HTTP to the TLS port is not served.
        using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await Assert.ThrowsAnyAsync<Exception>(() => plain.GetStringAsync(new UriBuilder(server.Address) { Scheme = "http", Path = "/health" }.Uri));

        var wss = new UriBuilder(server.Address) { Scheme = "wss", Path = "/ws" };
        using (var denied = new ClientWebSocket())
        {
            denied.Options.RemoteCertificateValidationCallback = (_, c, _, _) => Pinned(c);
            using var t = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await Assert.ThrowsAsync<WebSocketException>(() => denied.ConnectAsync(wss.Uri, t.Token));
        }

        using var socket = new ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = (_, c, _, _) => Pinned(c);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        wss.Query = "token=tls-s3cret";
        await socket.ConnectAsync(wss.Uri, timeout.Token);
        await socket.SendAsync(Encoding.UTF8.GetBytes("{\"type\":\"hello\"}"), WebSocketMessageType.Text, true, timeout.Token);
        var buffer = new byte[4096];
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.Contains("unknown message type", Encoding.UTF8.GetString(buffer, 0, result.Count), StringComparison.Ordinal);
    }
}
