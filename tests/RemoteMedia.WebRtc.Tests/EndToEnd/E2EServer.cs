using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace RemoteMedia.WebRtc.Tests.EndToEnd;

/// <summary>
/// The server side of the end-to-end tests, inside a private network namespace: an HTTP signaling endpoint
/// on 127.0.0.1 (page, POST /offer, POST /log), the PeerConnection, a 1 kHz tone fed to it, and the audio it receives.
/// </summary>
internal sealed class E2EServer : IDisposable
{
    internal const double ToneHz = 1000;
    private readonly HttpListener http;
    private readonly CancellationTokenSource stop = new();
    private readonly List<short> received = [];
    private readonly Task serveTask;
    private Thread? feeder;
    private int serverChannelCreated;

    internal E2EServer(NetworkNamespace ns, int port)
    {
        Namespace = ns;
        Port = port;
        http = ns.Run(() =>
        {
            var l = new HttpListener();
            l.Prefixes.Add($"http://127.0.0.1:{port}/");
            l.Start();
            return l;
        });
        serveTask = Task.Run(Serve);
    }

    internal NetworkNamespace Namespace { get; }

    internal int Port { get; }

    internal PeerConnection? Peer { get; private set; }

    internal ConcurrentQueue<string> Logs { get; } = new();

    internal ConcurrentQueue<PeerConnectionState> States { get; } = new();

    internal const string ServerGreeting = "hello from the C# server";

    internal string? OfferSdp { get; private set; }

    internal ConcurrentQueue<string> DataChannelLabels { get; } = new();

    internal ConcurrentQueue<string> DataChannelMessages { get; } = new();

    internal short[] Received
    {
        get
        {
            lock (received)
            {
                return received.ToArray();
            }
        }
    }

    internal string? WaitForLog(string prefix, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var hit = Logs.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
            if (hit is not null)
            {
                return hit;
            }

            if (Logs.Any(l => l.StartsWith("ERROR", StringComparison.Ordinal)))
            {
                return null;
            }

            Thread.Sleep(50);
        }

        return null;
    }

    public void Dispose()
    {
        stop.Cancel();
        http.Stop();
        http.Close();
        feeder?.Join(2000);
        Peer?.Dispose();
        serveTask.Wait(2000);
        stop.Dispose();
    }

    /// <summary>Answers an offer the same way the HTTP endpoint does (for clients that don't use HTTP).</summary>
    internal string Answer(string offer)
    {
        OfferSdp = offer;
        var pc = Namespace.Run(() => PeerConnection.CreateFromOffer(offer));
        pc.StateChanged += (_, s) => States.Enqueue(s);
        pc.AudioFrameReceived += frame =>
        {
            lock (received)
            {
                received.AddRange(frame);
            }
        };
        // Data channels: echo the page's channel, and open one of ours that says hello.
        pc.DataChannelOpened += (_, c) =>
        {
            DataChannelLabels.Enqueue(c.Label);
            if (c.Label == "server")
            {
                c.Send(ServerGreeting);
                return;
            }

            c.MessageReceived += (_, m) =>
            {
                if (m.IsText)
                {
                    DataChannelMessages.Enqueue(m.Text!);
                    c.Send("echo: " + m.Text);
                }
            };
        };
        pc.StateChanged += (_, s) =>
        {
            if (s == PeerConnectionState.Connected && pc.DataChannelsNegotiated && Interlocked.Exchange(ref serverChannelCreated, 1) == 0)
            {
                pc.CreateDataChannel("server");
            }
        };
        Peer = pc;
        feeder = new Thread(() => FeedTone(pc)) { IsBackground = true };
        feeder.Start();
        return pc.LocalDescription;
    }

    private void FeedTone(PeerConnection pc)
    {
        // Keep a few frames queued; the pacer sends one per 20 ms. Bounded to 60 s.
        var tone = Speech.Tone(48000, ToneHz);    // 1 s holds a whole number of 1 kHz periods, so it loops seamlessly
        int pos = 0;
        var until = DateTime.UtcNow.AddSeconds(60);
        while (!stop.IsCancellationRequested && DateTime.UtcNow < until && pc.State != PeerConnectionState.Closed)
        {
            try
            {
                if (pc.QueuedAudioFrames < 5)
                {
                    pc.WriteAudioFrame(tone.AsSpan(pos, 960));
                    pos = (pos + 960) % tone.Length;
                    continue;
                }
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            Thread.Sleep(10);
        }
    }

    private async Task Serve()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext ctx;
            try
            {
                ctx = await http.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                string path = ctx.Request.Url!.AbsolutePath;
                string body = ctx.Request.HasEntityBody ? await new StreamReader(ctx.Request.InputStream).ReadToEndAsync().ConfigureAwait(false) : string.Empty;
                byte[] reply = [];
                if (path == "/offer" && ctx.Request.HttpMethod == "POST")
                {
                    try
                    {
                        reply = Encoding.UTF8.GetBytes(Answer(body));
                        ctx.Response.ContentType = "application/sdp";
                    }
                    catch (WebRtcException e)
                    {
                        ctx.Response.StatusCode = 400;
                        reply = Encoding.UTF8.GetBytes(e.Message);
                    }
                }
                else if (path == "/log" && ctx.Request.HttpMethod == "POST")
                {
                    Logs.Enqueue(body);
                }
                else if (path == "/e2e.html")
                {
                    reply = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "e2e.html"));
                    ctx.Response.ContentType = "text/html";
                }
                else
                {
                    ctx.Response.StatusCode = 404;
                }

                await ctx.Response.OutputStream.WriteAsync(reply).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or HttpListenerException)
            {
                Logs.Enqueue("ERROR server " + e.Message);
            }
            finally
            {
                ctx.Response.Close();
            }
        }
    }
}
