using System.Diagnostics;
using System.Globalization;
using System.Text;
using RemoteMedia.WebRtc;
using RemoteMedia.WebRtc.Interop;
using RemoteMedia.WebRtc.Tests;
using Xunit.Abstractions;

namespace RemoteMedia.Server.Tests.Hardening;

/// <summary>Runs only when REMOTEMEDIA_SOAK_MINUTES is set (benchmarks/soak/run.sh); skipped in the normal test run.</summary>
public sealed class SoakFactAttribute : FactAttribute
{
    public SoakFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("REMOTEMEDIA_SOAK_MINUTES")))
        {
            Skip = "the long soak runs from benchmarks/soak/run.sh (set REMOTEMEDIA_SOAK_MINUTES)";
        }
    }
}

/// <summary>
/// The long soak (issue 9, item 3): the real server with the real assistant handlers, 20 concurrent calls from loopback
/// WebRTC clients sending paced Opus audio, one call leaving and a new one joining every second. Samples managed heap,
/// RSS, threads, descriptors and native counters; writes a markdown report to REMOTEMEDIA_SOAK_OUT.
/// </summary>
[Collection(SoakCollection.Name)]
public sealed class LongSoakTests(ITestOutputHelper output)
{
    private const int Concurrent = 20;

    private sealed class Caller : IDisposable
    {
        internal Caller(Signaling signaling, LoopbackClient client)
        {
            Signaling = signaling;
            Client = client;
        }

        internal Signaling Signaling { get; }

        internal LoopbackClient Client { get; }

        public void Dispose()
        {
            Client.Dispose();
            Signaling.Dispose();
        }
    }

    private static long RssBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    private static async Task<Caller> JoinAsync(RunningServer server)
    {
        var signaling = await server.ConnectAsync();
        var client = new LoopbackClient();
        await signaling.SendAsync(new { type = "offer", sdp = client.Offer() });
        var answer = await signaling.ReceiveAsync("answer") ?? throw new InvalidOperationException("no answer");
        client.Connect(answer.GetProperty("sdp").GetString()!);
        return new Caller(signaling, client);
    }

    private static async Task LeaveAsync(Caller caller)
    {
        try
        {
            await caller.Signaling.SendAsync(new { type = "close" });
        }
        finally
        {
            caller.Dispose();
        }
    }

    [SoakFact]
    public async Task Twenty_calls_joining_and_leaving_keep_memory_threads_and_descriptors_flat()
    {
        double minutes = double.Parse(Environment.GetEnvironmentVariable("REMOTEMEDIA_SOAK_MINUTES")!, CultureInfo.InvariantCulture);
        var duration = TimeSpan.FromMinutes(minutes);
        await using var server = await RunningServer.StartAsync(handlers: null, $"--VoiceServer:MaxSessions={Concurrent + 4}");
        var callers = new List<Caller>();
        for (int i = 0; i < Concurrent; i++)
        {
            callers.Add(await JoinAsync(server));
        }

        // Quiet audio (a little noise): the media path runs for every call; the recognizer is rarely woken.
        var frame = new short[960];
        var rng = new Random(3);
        for (int i = 0; i < frame.Length; i++)
        {
            frame[i] = (short)rng.Next(-40, 40);
        }

        using var stop = new CancellationTokenSource();
        var sender = new Thread(() =>
        {
            var tick = Stopwatch.StartNew();
            long n = 0;
            while (!stop.IsCancellationRequested)
            {
                Caller[] now;
                lock (callers)
                {
                    now = [.. callers];
                }

                foreach (var c in now)
                {
                    try
                    {
                        c.Client.SendFrame(frame);
                        if (n % 100 == 0)
                        {
                            c.Client.SendStunCheck();
                        }
                    }
                    catch (Exception e) when (e is ObjectDisposedException or NullReferenceException or System.Net.Sockets.SocketException)
                    {
                        // the caller is leaving
                    }
                }

                n++;
                var wait = TimeSpan.FromMilliseconds(20 * n) - tick.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    Thread.Sleep(wait);
                }
            }
        }) { IsBackground = true, Name = "soak sender" };
        sender.Start();

        var samples = new List<(double Minute, long Heap, long Rss, int Threads, int Fds, long Nodes, long Handles, int Sessions, long Joined)>();
        var clock = Stopwatch.StartNew();
        long joined = Concurrent;
        var nextSample = TimeSpan.Zero;
        while (clock.Elapsed < duration)
        {
            // One caller leaves, a new one joins.
            Caller leaving;
            lock (callers)
            {
                leaving = callers[rng.Next(callers.Count)];
                callers.Remove(leaving);
            }

            await LeaveAsync(leaving);
            var fresh = await JoinAsync(server);
            lock (callers)
            {
                callers.Add(fresh);
            }

            joined++;
            if (clock.Elapsed >= nextSample)
            {
                nextSample += TimeSpan.FromSeconds(30);
                long heap = GC.GetTotalMemory(forceFullCollection: true);
                samples.Add((clock.Elapsed.TotalMinutes, heap, RssBytes(), Process.GetCurrentProcess().Threads.Count, Directory.GetFiles("/proc/self/fd").Length,
                    RemoteMediaRuntime.LiveNativeNodes, NativeHandleCounter.Live, server.Sessions.Count, joined));
                output.WriteLine(samples[^1].ToString());
            }

            await Task.Delay(1000);
        }

        stop.Cancel();
        sender.Join();
        var connectedAtEnd = server.Sessions.Sessions.Count(s => s.State == PeerConnectionState.Connected);
        foreach (var c in callers)
        {
            await LeaveAsync(c);
        }

        var end = Stopwatch.StartNew();
        while ((server.Sessions.Count > 0 || RemoteMediaRuntime.LiveNativeNodes > 0) && end.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
        }

        long nodesEnd = RemoteMediaRuntime.LiveNativeNodes;
        long handlesEnd = NativeHandleCounter.Live;
        int sessionsEnd = server.Sessions.Count;

        // After warm-up (the first fifth of the run), everything must stay within 10% of its warm value.
        var warm = samples.Where(s => s.Minute >= minutes / 5).ToList();
        double Spread(Func<(double, long Heap, long Rss, int Threads, int Fds, long, long, int, long), double> f) =>
            warm.Count == 0 ? 0 : (warm.Max(f) - warm.Min(f)) / Math.Max(1, warm.Min(f));
        double heapSpread = Spread(s => s.Heap), rssSpread = Spread(s => s.Rss);
        double threadSpread = Spread(s => s.Threads), fdSpread = Spread(s => s.Fds);

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"# Soak: {Concurrent} concurrent calls, one leaves and one joins every second, {minutes} min");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, native {RemoteMediaRuntime.Status.IsNativeAvailable}. Calls joined: {joined}. Connected at the end: {connectedAtEnd}/{Concurrent}.");
        report.AppendLine();
        report.AppendLine("| minute | managed heap MB | RSS MB | threads | fds | native nodes | native handles | sessions | calls joined |");
        report.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var s in samples)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"| {s.Minute:F1} | {s.Heap / 1e6:F1} | {s.Rss / 1e6:F1} | {s.Threads} | {s.Fds} | {s.Nodes} | {s.Handles} | {s.Sessions} | {s.Joined} |");
        }

        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"After warm-up (from minute {minutes / 5:F1}): heap spread {heapSpread:P1}, RSS spread {rssSpread:P1}, threads spread {threadSpread:P1}, fds spread {fdSpread:P1} (limit 10%).");
        report.AppendLine(CultureInfo.InvariantCulture, $"At the end, after every call left: sessions {sessionsEnd}, native nodes {nodesEnd}, native handles {handlesEnd} (the test process's own handles included).");
        output.WriteLine(report.ToString());
        var outPath = Environment.GetEnvironmentVariable("REMOTEMEDIA_SOAK_OUT");
        if (!string.IsNullOrEmpty(outPath))
        {
            await File.WriteAllTextAsync(outPath, report.ToString());
        }

        Assert.Equal(0, sessionsEnd);
        Assert.Equal(0, nodesEnd);
        Assert.True(heapSpread <= 0.10, $"managed heap spread {heapSpread:P1}");
        Assert.True(rssSpread <= 0.10, $"RSS spread {rssSpread:P1}");
        Assert.True(threadSpread <= 0.10, $"thread spread {threadSpread:P1}");
        Assert.True(fdSpread <= 0.10, $"fd spread {fdSpread:P1}");
    }
}
