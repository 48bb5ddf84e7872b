using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace RemoteMedia.LoadTest;

/// <summary>
/// The soak's callers, run as their own process so that the server's memory figures hold the server alone:
/// <c>--concurrent</c> calls speaking a sentence now and then, one hanging up and a new one dialling in every second,
/// for <c>--minutes</c>. Prints a progress line every 30 s and, last, one <c>SUMMARY {json}</c> line.
/// </summary>
internal static class ChurningCallers
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        double Number(string name, double fallback) =>
            Option(name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

        if (Option("--ws") is not { } ws)
        {
            Console.Error.WriteLine("callers: --ws ws://127.0.0.1:PORT/ws is required");
            return 2;
        }
        var concurrent = (int)Number("--concurrent", 20);
        var duration = TimeSpan.FromMinutes(Number("--minutes", 30));
        var speech = SpeechLoop.Make(pauseSeconds: Number("--pause", 8));
        var run = new Churn(new Uri(ws), speech);
        var summary = await run.RunAsync(concurrent, duration);
        Console.WriteLine("SUMMARY " + JsonSerializer.Serialize(summary));
        return 0;
    }

    /// <summary>What the callers saw; the soak test reads it from the last line of standard output.</summary>
    internal sealed record Summary(
        long Joined, long FailedJoins, long Transcripts, long PacketsSent, long PacketsReceived, long LateTicks, int ConnectedAtEnd,
        IReadOnlyList<string> FirstErrors);

    private sealed class Churn(Uri ws, SpeechLoop speech)
    {
        private readonly Random random = new(11);
        private readonly List<string> errors = [];
        private readonly Lock sendGate = new(); // a caller is disposed only after the tick that might still send on it
        private volatile Caller[] active = [];
        private volatile bool sending = true;
        private long joined;
        private long failedJoins;
        private long transcriptsOfDeparted;
        private long sentByDeparted;
        private long receivedByDeparted;
        private readonly PacketClock clock = new();

        public async Task<Summary> RunAsync(int concurrent, TimeSpan duration)
        {
            var sender = new Thread(SendLoop) { IsBackground = true, Name = "soak-sender", Priority = ThreadPriority.AboveNormal };
            sender.Start();
            while (active.Length < concurrent)
            {
                await JoinAsync();
                if (Interlocked.Read(ref failedJoins) > concurrent)
                {
                    sending = false;
                    throw new InvalidOperationException($"could not connect {concurrent} callers to {ws}: {string.Join("; ", errors)}");
                }
            }
            var elapsed = Stopwatch.StartNew();
            var nextReport = TimeSpan.Zero;
            while (elapsed.Elapsed < duration)
            {
                var leaving = active[random.Next(active.Length)];
                lock (sendGate)
                {
                    active = [.. active.Where(c => c != leaving)];
                }
                await LeaveAsync(leaving);
                await JoinAsync();
                if (elapsed.Elapsed >= nextReport)
                {
                    nextReport += TimeSpan.FromSeconds(30);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"callers: {elapsed.Elapsed.TotalMinutes:F1} min, active {active.Length}, joined {Interlocked.Read(ref joined)}, failed joins {Interlocked.Read(ref failedJoins)}, transcripts {Transcripts()}"));
                }
                await Task.Delay(1000);
            }
            var connectedAtEnd = active.Length;
            sending = false;
            sender.Join();
            var last = active;
            lock (sendGate)
            {
                active = [];
            }
            await Task.WhenAll(last.Select(LeaveAsync));
            lock (errors)
            {
                return new Summary(joined, failedJoins, transcriptsOfDeparted, sentByDeparted, receivedByDeparted, clock.LateTicks, connectedAtEnd, [.. errors]);
            }
        }

        private long Transcripts() => Interlocked.Read(ref transcriptsOfDeparted) + active.Sum(c => (long)c.Transcripts);

        private async Task JoinAsync()
        {
            try
            {
                var caller = await Caller.ConnectAsync(ws, random.Next(speech.Packets.Length));
                active = [.. active, caller];
                Interlocked.Increment(ref joined);
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or System.Net.WebSockets.WebSocketException
                or OperationCanceledException or Org.BouncyCastle.Tls.TlsException or IOException)
            {
                Interlocked.Increment(ref failedJoins);
                lock (errors)
                {
                    if (errors.Count < 10)
                    {
                        errors.Add($"{ex.GetType().Name}: {ex.Message}");
                    }
                }
                await Task.Delay(500);
            }
        }

        private async Task LeaveAsync(Caller caller)
        {
            await caller.DisposeAsync();
            Interlocked.Add(ref transcriptsOfDeparted, caller.Transcripts);
            Interlocked.Add(ref sentByDeparted, caller.Media.PacketsSent);
            Interlocked.Add(ref receivedByDeparted, Interlocked.Read(ref caller.Media.PacketsReceived));
        }

        private void SendLoop()
        {
            for (long tick = 0; sending; tick++)
            {
                clock.WaitFor(tick);
                lock (sendGate)
                {
                    foreach (var caller in active)
                    {
                        caller.Media.Send(speech.PacketAt(tick, caller.Offset));
                    }
                }
            }
        }
    }
}
