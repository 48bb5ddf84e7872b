using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using RemoteMedia.WebRtc.Interop;
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
/// The long soak (issue 9, item 3): the real server with the real assistant handlers in this process, and 20 concurrent
/// WebRTC callers in another (benchmarks/RemoteMedia.LoadTest <c>callers</c>), each sending Opus speech with long pauses
/// (so the recognizer and the synthesizer run too), one call hanging up and a new one dialling in every second.
/// Keeping the callers out of this process means the managed heap, RSS, threads and descriptors sampled here are the
/// server's (plus the test runner's). Writes a markdown report to REMOTEMEDIA_SOAK_OUT.
/// </summary>
[Collection(SoakCollection.Name)]
public sealed class LongSoakTests(ITestOutputHelper output)
{
    private const int Concurrent = 20;

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

    private static string CallersProgram()
    {
        var path = Environment.GetEnvironmentVariable("REMOTEMEDIA_SOAK_CALLERS");
        if (string.IsNullOrEmpty(path))
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "RemoteMedia.sln")))
            {
                root = root.Parent;
            }

            path = Path.Combine(root?.FullName ?? ".", "benchmarks/RemoteMedia.LoadTest/bin/Release/net10.0/RemoteMedia.LoadTest.dll");
        }

        return File.Exists(path) ? path
            : throw new FileNotFoundException($"the soak's callers program is not built: {path} (benchmarks/soak/run.sh builds it)", path);
    }

    private static Process StartCallers(Uri server, double minutes, Action<string> onLine)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        var ws = new UriBuilder(server) { Scheme = "ws", Path = "/ws" }.Uri.ToString();
        foreach (var a in new[] { CallersProgram(), "callers", "--ws", ws, "--concurrent", Concurrent.ToString(CultureInfo.InvariantCulture),
                     "--minutes", minutes.ToString(CultureInfo.InvariantCulture), "--pause", "8" })
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the callers");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { onLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { onLine("stderr: " + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    [SoakFact]
    public async Task Twenty_calls_joining_and_leaving_keep_memory_threads_and_descriptors_flat()
    {
        double minutes = double.Parse(Environment.GetEnvironmentVariable("REMOTEMEDIA_SOAK_MINUTES")!, CultureInfo.InvariantCulture);
        await using var server = await RunningServer.StartAsync(handlers: null, $"--VoiceServer:MaxSessions={Concurrent + 4}");
        string? summaryLine = null;
        using var callers = StartCallers(server.Address, minutes, line =>
        {
            output.WriteLine(line);
            if (line.StartsWith("SUMMARY ", StringComparison.Ordinal))
            {
                summaryLine = line["SUMMARY ".Length..];
            }
        });

        var samples = new List<(double Minute, long Heap, long Rss, int Threads, int Fds, long Nodes, long Handles, int Sessions)>();
        var clock = Stopwatch.StartNew();
        var nextSample = TimeSpan.FromSeconds(30);
        while (!callers.HasExited)
        {
            if (clock.Elapsed >= nextSample && clock.Elapsed.TotalMinutes < minutes)
            {
                nextSample += TimeSpan.FromSeconds(30);
                samples.Add((clock.Elapsed.TotalMinutes, GC.GetTotalMemory(forceFullCollection: true), RssBytes(), Process.GetCurrentProcess().Threads.Count, Directory.GetFiles("/proc/self/fd").Length,
                    RemoteMediaRuntime.LiveNativeNodes, NativeHandleCounter.Live, server.Sessions.Count));
                output.WriteLine(samples[^1].ToString());
            }

            await Task.Delay(250);
        }

        await callers.WaitForExitAsync();
        var end = Stopwatch.StartNew();
        while ((server.Sessions.Count > 0 || RemoteMediaRuntime.LiveNativeNodes > 0) && end.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
        }

        long nodesEnd = RemoteMediaRuntime.LiveNativeNodes;
        long handlesEnd = NativeHandleCounter.Live;
        int sessionsEnd = server.Sessions.Count;
        Assert.True(callers.ExitCode == 0 && summaryLine is not null, $"the callers failed (exit {callers.ExitCode})");
        using var summaryJson = JsonDocument.Parse(summaryLine!);
        var summary = summaryJson.RootElement;
        long Count(string name) => summary.GetProperty(name).GetInt64();

        // After warm-up (the first fifth of the run): memory flat (SoakFlatness: window means and trend within 10%),
        // threads and descriptors within 10% sample by sample (they are counts, nothing is in flight).
        var warmUp = minutes / 5;
        var heap = SoakFlatness.Of([.. samples.Select(s => (s.Minute, s.Heap / 1e6))], warmUp);
        var rss = SoakFlatness.Of([.. samples.Select(s => (s.Minute, s.Rss / 1e6))], warmUp);
        var warm = samples.Where(s => s.Minute >= warmUp).ToList();
        double Spread(Func<(double, long, long, int Threads, int Fds, long, long, int), double> f) =>
            (warm.Max(f) - warm.Min(f)) / Math.Max(1, warm.Min(f));
        double threadSpread = Spread(s => s.Threads), fdSpread = Spread(s => s.Fds);

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"# Soak: {Concurrent} concurrent calls, one leaves and one joins every second, {minutes} min");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, native {RemoteMediaRuntime.Status.IsNativeAvailable}, load average at the end {File.ReadAllText("/proc/loadavg").Trim()}.");
        report.AppendLine(CultureInfo.InvariantCulture, $"The server (real assistant: VAD, pocketsphinx, espeak-ng) runs in the measuring process; the callers run in their own process (RemoteMedia.LoadTest callers), speaking one sentence every ~9 s.");
        report.AppendLine(CultureInfo.InvariantCulture, $"Callers: joined {Count("Joined")}, failed joins {Count("FailedJoins")}, connected at the end {Count("ConnectedAtEnd")}/{Concurrent}, transcripts received {Count("Transcripts")}, packets sent {Count("PacketsSent")}, received {Count("PacketsReceived")}, sender ticks >10 ms late {Count("LateTicks")}.");
        report.AppendLine();
        report.AppendLine("| minute | managed heap MB | RSS MB | threads | fds | native nodes | native handles | sessions |");
        report.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var s in samples)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"| {s.Minute:F1} | {s.Heap / 1e6:F1} | {s.Rss / 1e6:F1} | {s.Threads} | {s.Fds} | {s.Nodes} | {s.Handles} | {s.Sessions} |");
        }

        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"After warm-up (from minute {warmUp:F1}), limit 10%:");
        report.AppendLine(CultureInfo.InvariantCulture, $"- managed heap (MB): {heap} -> {(heap.IsFlat ? "flat" : "NOT flat")}");
        report.AppendLine(CultureInfo.InvariantCulture, $"- RSS (MB): {rss} -> {(rss.IsFlat ? "flat" : "NOT flat")}");
        report.AppendLine(CultureInfo.InvariantCulture, $"- threads spread {threadSpread:P1}, descriptors spread {fdSpread:P1} (sample by sample)");
        report.AppendLine(CultureInfo.InvariantCulture, $"At the end, after every call left: sessions {sessionsEnd}, native nodes {nodesEnd}, native handles {handlesEnd}.");
        output.WriteLine(report.ToString());
        var outPath = Environment.GetEnvironmentVariable("REMOTEMEDIA_SOAK_OUT");
        if (!string.IsNullOrEmpty(outPath))
        {
            await File.WriteAllTextAsync(outPath, report.ToString());
        }

        Assert.Equal(0, sessionsEnd);
        Assert.Equal(0, nodesEnd);
        Assert.Equal(0, handlesEnd);
        Assert.True(Count("FailedJoins") * 100 <= Count("Joined"), $"{Count("FailedJoins")} of {Count("Joined")} calls failed to connect");
        Assert.True(Count("Transcripts") > 0, "no utterance was transcribed: the assistant path was not exercised");
        Assert.True(heap.IsFlat, $"managed heap: {heap}");
        Assert.True(rss.IsFlat, $"RSS: {rss}");
        Assert.True(threadSpread <= 0.10, $"thread spread {threadSpread:P1}");
        Assert.True(fdSpread <= 0.10, $"fd spread {fdSpread:P1}");
    }
}
