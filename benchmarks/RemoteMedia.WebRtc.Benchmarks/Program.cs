// Per-20 ms-frame cost of the WebRTC media paths, for 1 and 50 peers in one process:
//   receive = SRTP unprotect + RTP parse + jitter buffer + Opus decode (+ 20 ms framing)
//   send    = Opus encode + RTP packetize + SRTP protect
// Each peer has its own encoder, decoder and SRTP sessions (AES128_CM_HMAC_SHA1_80), as in a real call.
// Run: dotnet run -c Release --project benchmarks/RemoteMedia.WebRtc.Benchmarks [-- --frames 1500 --out benchmarks/results/webrtc.md]
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using RemoteMedia.WebRtc;
using RemoteMedia.WebRtc.Rtp;
using RemoteMedia.WebRtc.Srtp;

int frames = 1500;
string? outPath = null;
for (int i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--frames")
    {
        frames = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    }
    else if (args[i] == "--out")
    {
        outPath = args[i + 1];
    }
}

var signal = TestSignal(48000 * 10);
var report = new StringBuilder();
report.AppendLine("# WebRTC media path benchmark").AppendLine();
report.AppendLine(CultureInfo.InvariantCulture, $"Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC. Command: `dotnet run -c Release --project benchmarks/RemoteMedia.WebRtc.Benchmarks -- --frames {frames} --out benchmarks/results/webrtc.md`").AppendLine();
report.AppendLine("## Machine").AppendLine();
foreach (var line in MachineDescription())
{
    report.AppendLine("- " + line);
}

report.AppendLine().AppendLine("## What is measured").AppendLine();
report.AppendLine("Per 20 ms frame (960 mono samples at 48 kHz), peers processed round-robin each tick on 1 or 2 worker threads, each peer with its own");
report.AppendLine("Opus encoder/decoder and libsrtp2 sessions (AES_CM_128_HMAC_SHA1_80). No sockets: this is the CPU cost of the hot path.");
report.AppendLine("- receive: `AudioReceivePipeline.OnSrtp` = SRTP unprotect + RTP parse + jitter buffer + Opus decode + framing");
report.AppendLine("- send: `AudioSendPipeline.Build` = Opus encode (libopus default bitrate, application AUDIO) + RTP header + SRTP protect");
report.AppendLine("- tick: all peers' send + receive for one 20 ms frame: wall clock (barrier to barrier) and the workers' summed CPU time");
report.AppendLine("  (CLOCK_THREAD_CPUTIME_ID, which leaves out time a thread sat preempted); wall must stay under 20 ms for real time").AppendLine();
report.AppendLine("| peers | threads | frames/peer | receive median µs | receive p99 µs | send median µs | send p99 µs | tick wall median / p99 ms | tick CPU median / p99 ms | allocated bytes/frame |");
report.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");

var results = new List<(int Peers, int Threads, Result R)>();
foreach (var (peers, threads) in new[] { (1, 1), (50, 1), (50, 2) })
{
    var r = Run(peers, frames, signal, threads);
    results.Add((peers, threads, r));
    string row = string.Create(CultureInfo.InvariantCulture,
        $"| {peers} | {threads} | {frames} | {r.RecvMedian:F1} | {r.RecvP99:F1} | {r.SendMedian:F1} | {r.SendP99:F1} | {r.TickMedian:F2} / {r.TickP99:F2} | {r.CpuMedian:F2} / {r.CpuP99:F2} | {r.AllocPerFrame:F1} |");
    Console.WriteLine(row);
    report.AppendLine(row);
}

var fifty = results.First(x => x.Peers == 50 && x.Threads == 1).R;
report.AppendLine().AppendLine("## Reading").AppendLine();
report.AppendLine(string.Create(CultureInfo.InvariantCulture,
    $"- One peer costs about {fifty.RecvMedian + fifty.SendMedian:F0} µs of CPU per 20 ms frame (receive {fifty.RecvMedian:F0} + send {fifty.SendMedian:F0}); Opus encoding dominates."));
report.AppendLine(string.Create(CultureInfo.InvariantCulture,
    $"- 50 peers need {fifty.CpuMedian:F1} ms of CPU per 20 ms tick (median; p99 {fifty.CpuP99:F1} ms), {100 * fifty.CpuMedian / 20:F0}% of one core."));
report.AppendLine("- Medians are stable; wall-clock p99s (and the send p99s, which catch a preemption inside an encode) measure this shared");
report.AppendLine("  machine's scheduler, not the code: compare the load average above with the CPU-time columns.");
report.AppendLine("- Allocated bytes per frame: the media path allocates nothing (also asserted by `HotPathTests`); any fraction in a 2-thread row is the benchmark's own Barrier.");
Console.WriteLine();
Console.WriteLine(report);
if (outPath is not null)
{
    File.WriteAllText(outPath, report.ToString());
}

static Result Run(int peerCount, int frames, short[] signal, int threads)
{
    var peers = new List<(AudioSendPipeline Send, AudioReceivePipeline Recv, IDisposable[] Owned)>();
    for (int p = 0; p < peerCount; p++)
    {
        var key = new byte[30];
        Random.Shared.NextBytes(key);
        var tx = new SrtpContext(SrtpProfile.Aes128CmHmacSha1_80, key, inbound: false);
        var rx = new SrtpContext(SrtpProfile.Aes128CmHmacSha1_80, key, inbound: true);
        var send = new AudioSendPipeline(tx, new RtpPacketizer(111, (uint)p + 1, (ushort)Random.Shared.Next(), 0));
        var recv = new AudioReceivePipeline(rx, 111, 3, 10, new Counters()) { Handler = static _ => { } };
        peers.Add((send, recv, [send, recv, tx, rx]));
    }

    var packet = new byte[AudioSendPipeline.MaxPacket];
    int signalFrames = signal.Length / 960;
    for (int f = 0; f < 100; f++)
    {
        foreach (var (send, recv, _) in peers)
        {
            int n = send.Build(signal.AsSpan((f % signalFrames) * 960, 960), packet);
            recv.OnSrtp(packet, n);
        }
    }

    // Peers are split across `threads` workers; a barrier starts and ends each 20 ms tick on all of them.
    var groups = Enumerable.Range(0, threads).Select(t => peers.Where((_, i) => i % threads == t).ToArray()).ToArray();
    var sendTimes = groups.Select(g => new double[frames * g.Length]).ToArray();
    var recvTimes = groups.Select(g => new double[frames * g.Length]).ToArray();
    var cpuPerThread = groups.Select(_ => new double[frames]).ToArray();
    var tickTimes = new double[frames];
    var allocated = new long[threads];
    double toMicros = 1e6 / Stopwatch.Frequency;
    using var barrier = new Barrier(threads);
    GC.Collect();
    var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
    {
        var group = groups[t];
        var buffer = new byte[AudioSendPipeline.MaxPacket];
        int k = 0;
        long allocBefore = GC.GetAllocatedBytesForCurrentThread();
        for (int f = 0; f < frames; f++)
        {
            var frame = signal.AsSpan(((f + 100) % signalFrames) * 960, 960);
            if (threads > 1)
            {
                barrier.SignalAndWait();
            }

            long tick0 = Stopwatch.GetTimestamp();
            long cpu0 = Native.ThreadCpuNanos();
            foreach (var (send, recv, _) in group)
            {
                long t0 = Stopwatch.GetTimestamp();
                int n = send.Build(frame, buffer);
                long t1 = Stopwatch.GetTimestamp();
                recv.OnSrtp(buffer, n);
                long t2 = Stopwatch.GetTimestamp();
                sendTimes[t][k] = (t1 - t0) * toMicros;
                recvTimes[t][k] = (t2 - t1) * toMicros;
                k++;
            }

            cpuPerThread[t][f] = (Native.ThreadCpuNanos() - cpu0) / 1e6;
            if (threads > 1)
            {
                barrier.SignalAndWait();   // (Barrier may allocate a little while it waits: not the media path)
            }
            if (t == 0)
            {
                tickTimes[f] = (Stopwatch.GetTimestamp() - tick0) * toMicros / 1000;
            }
        }

        allocated[t] = GC.GetAllocatedBytesForCurrentThread() - allocBefore;
    }) { Priority = ThreadPriority.AboveNormal }).ToArray();
    foreach (var w in workers)
    {
        w.Start();
    }

    foreach (var w in workers)
    {
        w.Join();
    }

    var cpuTimes = Enumerable.Range(0, frames).Select(f => cpuPerThread.Sum(c => c[f])).ToArray();
    var allSend = sendTimes.SelectMany(x => x).ToArray();
    var allRecv = recvTimes.SelectMany(x => x).ToArray();

    long alloc = allocated.Sum();
    foreach (var (_, _, owned) in peers)
    {
        foreach (var d in owned)
        {
            d.Dispose();
        }
    }

    return new Result(
        Percentile(allRecv, 0.5), Percentile(allRecv, 0.99), Percentile(allSend, 0.5), Percentile(allSend, 0.99),
        Percentile(tickTimes, 0.5), Percentile(tickTimes, 0.99), Percentile(cpuTimes, 0.5), Percentile(cpuTimes, 0.99),
        (double)alloc / (frames * peerCount));
}

static double Percentile(double[] values, double q)
{
    var s = (double[])values.Clone();
    Array.Sort(s);
    return s[Math.Min(s.Length - 1, (int)Math.Ceiling(q * s.Length) - 1)];
}

// Speech-like test signal: a gliding harmonic tone with syllable-rate amplitude modulation, plus a little noise.
static short[] TestSignal(int samples)
{
    var rng = new Random(42);
    var s = new short[samples];
    double phase = 0;
    for (int i = 0; i < samples; i++)
    {
        double t = i / 48000.0;
        double f0 = 140 + (60 * Math.Sin(2 * Math.PI * 0.7 * t));
        phase += 2 * Math.PI * f0 / 48000;
        double v = Math.Sin(phase) + (0.5 * Math.Sin(2 * phase)) + (0.25 * Math.Sin(3 * phase));
        double env = 0.5 + (0.5 * Math.Sin(2 * Math.PI * 4 * t));
        s[i] = (short)((7000 * env * v) + (300 * (rng.NextDouble() - 0.5)));
    }

    return s;
}

static IEnumerable<string> MachineDescription()
{
    string cpu = File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
        : "?";
    yield return $"CPU: {cpu}, {Environment.ProcessorCount} logical cores";
    string mem = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").First().Split(':', 2)[1].Trim() : "?";
    yield return $"Memory: {mem}";
    string os = File.Exists("/etc/os-release")
        ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=', 2)[1].Trim('"') ?? "?"
        : RuntimeInformation.OSDescription;
    yield return $"OS: {os} ({RuntimeInformation.OSArchitecture})";
    yield return $".NET: {RuntimeInformation.FrameworkDescription}";
    if (File.Exists("/proc/loadavg"))
    {
        yield return $"Load average at start (shared machine): {File.ReadAllText("/proc/loadavg").Trim()}";
    }
    yield return $"Native: {Native.Versions()}";
}

internal sealed record Result(
    double RecvMedian, double RecvP99, double SendMedian, double SendP99, double TickMedian, double TickP99, double CpuMedian, double CpuP99, double AllocPerFrame);

internal static partial class Native
{
    [LibraryImport("libopus.so.0")]
    private static partial nint opus_get_version_string();

    [LibraryImport("libsrtp2.so.1")]
    private static partial nint srtp_get_version_string();

    [LibraryImport("libc")]
    private static unsafe partial int clock_gettime(int clock, long* ts);

    /// <summary>CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID = 3), in nanoseconds.</summary>
    internal static unsafe long ThreadCpuNanos()
    {
        long* ts = stackalloc long[2];
        return clock_gettime(3, ts) == 0 ? (ts[0] * 1_000_000_000) + ts[1] : 0;
    }

    internal static string Versions() =>
        $"{Marshal.PtrToStringUTF8(opus_get_version_string())}, {Marshal.PtrToStringUTF8(srtp_get_version_string())}";
}
