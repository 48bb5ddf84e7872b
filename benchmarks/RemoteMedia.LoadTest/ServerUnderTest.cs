using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace RemoteMedia.LoadTest;

/// <summary>
/// A server process (ours or the Python peer) on 127.0.0.1: started, probed through /proc/&lt;pid&gt; (its own CPU time
/// and RSS only, not the load client's) and through its HTTP endpoints (/metrics histogram, /connections counters).
/// </summary>
internal sealed class ServerUnderTest : IAsyncDisposable
{
    private readonly Process process;
    private readonly HttpClient http;
    private readonly List<string> log = [];

    private ServerUnderTest(string name, Process process, int port)
    {
        Name = name;
        this.process = process;
        Port = port;
        http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(20) };
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Port { get; }

    public int Pid => process.Id;

    public Uri WebSocket => new($"ws://127.0.0.1:{Port}/ws");

    public IReadOnlyList<string> Log
    {
        get
        {
            lock (log)
            {
                return [.. log];
            }
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (log)
        {
            if (log.Count < 2000)
            {
                log.Add(line);
            }
        }
    }

    public static async Task<ServerUnderTest> StartAsync(string name, string file, IEnumerable<string> args, Func<int, IEnumerable<string>> portArgs)
    {
        var port = FreePort();
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args.Concat(portArgs(port)))
        {
            info.ArgumentList.Add(a);
        }
        info.Environment["DOTNET_gcServer"] = "0";
        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
        var server = new ServerUnderTest(name, process, port);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{name} exited with {process.ExitCode}:\n{string.Join('\n', server.Log.TakeLast(30))}");
            }
            try
            {
                var health = await server.http.GetAsync("/health");
                if (health.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        await server.DisposeAsync();
        throw new TimeoutException($"{name} did not answer /health within 60 s");
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>utime + stime of the server process (all its threads), in seconds.</summary>
    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{Pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state); utime is field 14, stime field 15.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / 100.0; // USER_HZ is 100 on Linux
    }

    public long RssBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }
        return 0;
    }

    public int Threads()
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                return int.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1].Trim(), CultureInfo.InvariantCulture);
            }
        }
        return 0;
    }

    /// <summary>The Prometheus text at /metrics, as (name{labels}, value) pairs.</summary>
    public async Task<List<(string Series, double Value)>> MetricsAsync()
    {
        var text = await http.GetStringAsync("/metrics");
        var result = new List<(string, double)>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            // "series value [timestamp]"; labels may hold spaces only inside quotes, which our names never do.
            var close = line.LastIndexOf('}');
            var split = line.IndexOf(' ', close < 0 ? 0 : close);
            if (split < 0)
            {
                continue;
            }
            var valueText = line[(split + 1)..].Split(' ')[0];
            if (double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
            {
                result.Add((line[..split], v));
            }
        }
        return result;
    }

    /// <summary>Sums of the per-session counters at /connections (same camelCase names from both servers).</summary>
    public async Task<Dictionary<string, double>> ConnectionTotalsAsync()
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync("/connections"));
        var totals = new Dictionary<string, double>(StringComparer.Ordinal) { ["sessions"] = doc.RootElement.GetProperty("count").GetDouble() };
        foreach (var session in doc.RootElement.GetProperty("sessions").EnumerateArray())
        {
            if (!session.TryGetProperty("stats", out var stats))
            {
                continue;
            }
            foreach (var p in stats.EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.Number)
                {
                    totals[p.Name] = totals.GetValueOrDefault(p.Name) + p.Value.GetDouble();
                }
            }
        }
        return totals;
    }

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        if (!process.HasExited)
        {
            try
            {
                // SIGTERM first (graceful shutdown closes every peer), then the hard way.
                using var kill = Process.Start("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)]);
                kill?.WaitForExit();
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        process.Dispose();
    }
}
