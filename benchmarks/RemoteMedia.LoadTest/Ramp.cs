using System.Diagnostics;
using System.Globalization;

namespace RemoteMedia.LoadTest;

/// <summary>One measured step: N callers sending for one window.</summary>
internal sealed record LevelResult
{
    public int Streams { get; init; }
    public double WindowSeconds { get; init; }
    public double ServerCpuPercent { get; init; }
    public double CpuPercentPerStream => Streams == 0 ? 0 : ServerCpuPercent / Streams;

    /// <summary>Server CPU per stream that was actually kept up with: CPU % / (frames processed per second / 50).</summary>
    public double CpuPercentPerProcessedStream => FramesProcessed == 0 ? 0 : ServerCpuPercent / (FramesProcessed / WindowSeconds / 50.0);

    /// <summary>(CPU at this level - CPU at the previous level) / (streams added): the marginal cost of one more caller.</summary>
    public double? MarginalCpuPercentPerStream { get; set; }
    public double MeanMicros { get; init; }
    public double P50Micros { get; init; }
    public double P99Micros { get; init; }
    public double ShareOver1ms { get; init; }
    public long FramesSent { get; init; }
    public long FramesProcessed { get; init; }
    public double Delivered => FramesSent == 0 ? 0 : (double)FramesProcessed / FramesSent;
    public long Lost { get; init; }
    public long SrtpFailures { get; init; }
    public long Utterances { get; init; }
    public double RssMiB { get; init; }
    public double RssPerStreamKiB { get; init; }
    public double? ManagedHeapMiB { get; init; }
    public double? ManagedHeapPerStreamKiB { get; init; }
    public double? AllocatedBytesPerStreamPerSecond { get; init; }
    public int Threads { get; init; }
    public long SenderLateTicks { get; init; }
    public string LoadAverage { get; init; } = "";
    public bool Meets1ms => P99Micros <= 1000 && ShareOver1ms <= 0.01;

    /// <summary>Share of the load client's 20 ms ticks that ran more than 10 ms late: the client (same cores) fell behind.</summary>
    public double SenderLateShare => WindowSeconds <= 0 ? 0 : SenderLateTicks / (WindowSeconds * 50);

    public bool ClientLimited => SenderLateShare > 0.05;
    public bool RealTime => Lost == 0 && SrtpFailures == 0 && Delivered >= 0.98;
}

internal sealed record RampResult(
    string Server, int Pid, bool StopOnP99, double IdleCpuPercent, List<LevelResult> Levels, int? MaxSustained, string StopReason,
    double BaselineRssMiB, double? BaselineHeapMiB, int SessionsLeftAfter, double RssAfterMiB, List<string> ServerLogTail);

/// <summary>
/// Ramps real-time callers against one server: connect up to N, let it settle, measure one window, check the rules,
/// go up. One sender thread paces every caller at 20 ms on an absolute clock (no drift); each caller starts at its own
/// offset in the speech loop so utterances do not line up.
/// </summary>
internal sealed class Ramp(ServerUnderTest server, SpeechLoop speech, TimeSpan window, bool stopOnP99)
{
    private readonly List<Caller> callers = [];
    private volatile Caller[] active = [];
    private volatile bool running = true;
    private readonly PacketClock clock = new();

    public async Task<RampResult> RunAsync(int[] levels)
    {
        Console.WriteLine($"== {server.Name} (pid {server.Pid}) ==");
        var sender = new Thread(SendLoop) { IsBackground = true, Name = "load-sender", Priority = ThreadPriority.AboveNormal };
        sender.Start();
        // Warm-up (JIT tiering, pools, the native library): 10 callers for 10 s, then hang up and let the server settle.
        var random = new Random(7);
        var warm = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Caller.ConnectAsync(server.WebSocket, random.Next(speech.Packets.Length))));
        active = warm;
        await Task.Delay(10_000);
        active = [];
        await Task.WhenAll(warm.Select(c => c.DisposeAsync().AsTask()));
        await Task.Delay(3000);
        var baseline = await SnapshotAsync();
        await Task.Delay(3000);
        var idle = await SnapshotAsync();
        var idleCpu = (idle.Cpu - baseline.Cpu) / ((idle.Timestamp - baseline.Timestamp) / (double)Stopwatch.Frequency) * 100;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  idle: server CPU {idleCpu:F1}%, RSS {baseline.Rss / 1048576.0:F0} MiB"));
        var results = new List<LevelResult>();
        int? maxSustained = null;
        var stopReason = "all levels passed";
        foreach (var level in levels)
        {
            var failed = 0;
            while (callers.Count < level)
            {
                var batch = Math.Min(4, level - callers.Count);
                var connecting = Enumerable.Range(0, batch).Select(_ => Caller.ConnectAsync(server.WebSocket, random.Next(speech.Packets.Length))).ToArray();
                try
                {
                    await Task.WhenAll(connecting);
                }
                catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or System.Net.WebSockets.WebSocketException
                    or OperationCanceledException or Org.BouncyCastle.Tls.TlsException or IOException)
                {
                    Console.WriteLine($"  connect failed: {ex.GetType().Name}: {ex.Message}");
                    failed++;
                }
                callers.AddRange(connecting.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result));
                active = [.. callers];
                if (failed > 0)
                {
                    break;
                }
            }
            if (failed > 0)
            {
                stopReason = $"callers could not connect at {level} streams";
                break;
            }
            await Task.Delay(3000);
            var result = await MeasureAsync(level, baseline);
            if (!Passes(result) && !result.ClientLimited)
            {
                // The box is shared: confirm a failure with a second window before calling it the limit.
                Console.WriteLine("  failed; measuring the same level once more");
                result = await MeasureAsync(level, baseline);
            }
            if (results.LastOrDefault() is { } previous)
            {
                result.MarginalCpuPercentPerStream = (result.ServerCpuPercent - previous.ServerCpuPercent) / (result.Streams - previous.Streams);
            }
            else
            {
                result.MarginalCpuPercentPerStream = (result.ServerCpuPercent - idleCpu) / result.Streams;
            }
            results.Add(result);
            if (result.ClientLimited)
            {
                // Not a server measurement any more: the callers themselves no longer run in real time.
                stopReason = string.Create(CultureInfo.InvariantCulture,
                    $"the load client fell behind real time at {level} streams ({result.SenderLateShare:P0} of its 20 ms ticks >10 ms late) on the shared 2 cores; the server's own limit was not reached");
                if (Passes(result))
                {
                    maxSustained = level;
                }
                break;
            }
            if (!Passes(result))
            {
                stopReason = !result.RealTime
                    ? $"at {level} streams: lost {result.Lost}, SRTP failures {result.SrtpFailures}, delivered {result.Delivered:P1}"
                    : $"at {level} streams: p99 {result.P99Micros:F0} us > 1 ms";
                break;
            }
            maxSustained = level;
        }
        running = false;
        sender.Join();
        await Task.WhenAll(callers.Select(c => c.DisposeAsync().AsTask()));
        var wait = Stopwatch.StartNew();
        var left = 0;
        while (wait.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                left = (int)(await server.ConnectionTotalsAsync())["sessions"];
                if (left == 0)
                {
                    break;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                left = -1; // the server did not answer in time
            }
            await Task.Delay(200);
        }
        var after = server.RssBytes() / 1048576.0;
        Console.WriteLine($"  max sustained: {maxSustained?.ToString(CultureInfo.InvariantCulture) ?? "none"} ({stopReason}); sessions left after hang-up: {left}; RSS after {after:F0} MiB");
        return new RampResult(server.Name, server.Pid, stopOnP99, idleCpu, results, maxSustained, stopReason, baseline.Rss / 1048576.0,
            baseline.Heap is { } h ? h / 1048576.0 : null, left, after, [.. server.Log.TakeLast(20)]);
    }

    private bool Passes(LevelResult r) => r.RealTime && (!stopOnP99 || r.Meets1ms);

    private void SendLoop()
    {
        for (long tick = 0; running; tick++)
        {
            clock.WaitFor(tick);
            foreach (var caller in active)
            {
                caller.Media.Send(speech.PacketAt(tick, caller.Offset));
            }
        }
    }

    private async Task<LevelResult> MeasureAsync(int streams, Snapshot baseline)
    {
        var a = await SnapshotAsync();
        await Task.Delay(window);
        var b = await SnapshotAsync();
        var wall = (b.Timestamp - a.Timestamp) / (double)Stopwatch.Frequency;
        var total = b.Bucket(double.PositiveInfinity) - a.Bucket(double.PositiveInfinity);
        double Quantile(double q)
        {
            var target = q * total;
            double prevBound = 0, prevCum = 0;
            foreach (var bound in b.Buckets.Keys.Order())
            {
                var cum = b.Bucket(bound) - a.Bucket(bound);
                if (cum >= target)
                {
                    if (double.IsPositiveInfinity(bound))
                    {
                        return prevBound;
                    }
                    var fraction = cum - prevCum <= 0 ? 1 : (target - prevCum) / (cum - prevCum);
                    return prevBound + (fraction * (bound - prevBound));
                }
                prevBound = bound;
                prevCum = cum;
            }
            return prevBound;
        }
        double D(string key) => b.Connections.GetValueOrDefault(key) - a.Connections.GetValueOrDefault(key);
        var result = new LevelResult
        {
            Streams = streams,
            WindowSeconds = wall,
            ServerCpuPercent = (b.Cpu - a.Cpu) / wall * 100,
            MeanMicros = total == 0 ? 0 : (b.Sum - a.Sum) / total,
            P50Micros = total == 0 ? 0 : Quantile(0.50),
            P99Micros = total == 0 ? 0 : Quantile(0.99),
            ShareOver1ms = total == 0 ? 0 : 1 - ((b.Bucket(1000) - a.Bucket(1000)) / total),
            FramesSent = b.Sent - a.Sent,
            FramesProcessed = (long)D("audioFramesReceived"),
            Lost = (long)D("jitterLost"),
            SrtpFailures = (long)(D("srtpAuthFailures") + D("srtpOtherFailures")),
            Utterances = b.Utterances - a.Utterances,
            RssMiB = b.Rss / 1048576.0,
            RssPerStreamKiB = (b.Rss - baseline.Rss) / 1024.0 / streams,
            ManagedHeapMiB = b.Heap / 1048576.0,
            ManagedHeapPerStreamKiB = b.Heap is { } h && baseline.Heap is { } h0 ? (h - h0) / 1024.0 / streams : null,
            AllocatedBytesPerStreamPerSecond = b.Allocated is { } x && a.Allocated is { } y ? (x - y) / wall / streams : null,
            Threads = b.Threads,
            SenderLateTicks = b.Late - a.Late,
            LoadAverage = File.ReadAllText("/proc/loadavg").Split(' ')[0],
        };
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {streams,4} streams: server CPU {result.ServerCpuPercent,6:F1}% ({result.CpuPercentPerStream:F2}%/stream), frame mean {result.MeanMicros:F1} us p50 {result.P50Micros:F1} p99 {result.P99Micros:F1} us, " +
            $"delivered {result.Delivered:P1}, lost {result.Lost}, srtp {result.SrtpFailures}, utterances {result.Utterances}, RSS {result.RssMiB:F0} MiB (+{result.RssPerStreamKiB:F0} KiB/stream), " +
            $"heap {result.ManagedHeapMiB:F1} MiB, alloc {result.AllocatedBytesPerStreamPerSecond:F0} B/s/stream, threads {result.Threads}, late ticks {result.SenderLateTicks}, load {result.LoadAverage}"));
        return result;
    }

    private async Task<Snapshot> SnapshotAsync()
    {
        var metrics = await server.MetricsAsync();
        var connections = await server.ConnectionTotalsAsync();
        var buckets = new Dictionary<double, double>();
        double sum = 0;
        double? heap = null, allocated = null;
        foreach (var (series, value) in metrics)
        {
            if (series.StartsWith("remotemedia_preprocess_frame_duration", StringComparison.Ordinal))
            {
                var name = series.Split('{')[0];
                if (name.EndsWith("_bucket", StringComparison.Ordinal))
                {
                    var le = series[(series.IndexOf("le=\"", StringComparison.Ordinal) + 4)..];
                    le = le[..le.IndexOf('"')];
                    var bound = le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);
                    buckets[bound] = buckets.GetValueOrDefault(bound) + value;
                }
                else if (name.EndsWith("_sum", StringComparison.Ordinal))
                {
                    sum += value;
                }
            }
            else if (series.StartsWith("dotnet_gc_last_collection_heap_size", StringComparison.Ordinal))
            {
                heap = (heap ?? 0) + value;
            }
            else if (series.StartsWith("dotnet_gc_heap_total_allocated", StringComparison.Ordinal))
            {
                allocated = (allocated ?? 0) + value;
            }
        }
        var clients = active;
        return new Snapshot(Stopwatch.GetTimestamp(), server.CpuSeconds(), server.RssBytes(), server.Threads(), buckets, sum, heap, allocated,
            connections, clients.Sum(c => c.Media.PacketsSent), clients.Sum(c => (long)c.Utterances), clock.LateTicks);
    }

    private sealed record Snapshot(
        long Timestamp, double Cpu, long Rss, int Threads, Dictionary<double, double> Buckets, double Sum, double? Heap, double? Allocated,
        Dictionary<string, double> Connections, long Sent, long Utterances, long Late)
    {
        public double Bucket(double bound) => Buckets.GetValueOrDefault(bound);
    }
}
