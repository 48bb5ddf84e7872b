using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using RemoteMedia;
using RemoteMedia.Harness;
using RemoteMedia.LoadTest;
using RemoteMedia.Pipeline;
using RemoteMedia.Speech;
using RemoteMedia.WebRtc.Codecs;

// dotnet run -c Release --project benchmarks/RemoteMedia.LoadTest -- server [--quick] [--dotnet-only|--python-only] [--no-build]
//   [--levels 10,20,...] [--python-levels 2,5,...] [--window 8] [--out benchmarks/results]
// ... -- callers --ws ws://127.0.0.1:PORT/ws [--concurrent 20] [--minutes 30] [--pause 8]   (the soak's callers)
if (args.Length == 2 && args[0] == "report")
{
    Report.Rewrite(args[1]);
    return 0;
}
if (args.Length > 0 && args[0] == "callers")
{
    return await ChurningCallers.RunAsync(args);
}
if (args.Length == 0 || args[0] != "server")
{
    Console.Error.WriteLine("usage: RemoteMedia.LoadTest server [--quick] [--dotnet-only|--python-only] [--no-build] [--levels 10,20] [--python-levels 2,5] [--window 8] [--out DIR]");
    Console.Error.WriteLine("       RemoteMedia.LoadTest callers --ws URI [--concurrent 20] [--minutes 30] [--pause 8]");
    return 2;
}
string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
bool Flag(string name) => args.Contains(name);
int[] Levels(string? text, int[] fallback) => text is null ? fallback : [.. text.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];

var quick = Flag("--quick");
var root = FindRepoRoot();
var outDir = Option("--out") ?? Path.Combine(root, "benchmarks", "results");
var window = TimeSpan.FromSeconds(double.Parse(Option("--window") ?? (quick ? "4" : "8"), CultureInfo.InvariantCulture));
var dotnetLevels = Levels(Option("--levels"), quick ? [1, 5, 10] : [1, 2, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 120, 140, 160, 180, 200, 250, 300, 350, 400]);
var pythonLevels = Levels(Option("--python-levels"), quick ? [1, 2] : [1, 2, 5, 10, 20, 30, 40]);
var pythonFilters = (Option("--python-filters") ?? "kaiser_best,kaiser_fast").Split(',');

Console.WriteLine($"load benchmark: repo {root}, window {window.TotalSeconds} s");
var machine = MachineInfo.Describe();
machine["loadavg_at_start"] = File.ReadAllText("/proc/loadavg").Trim();
Console.WriteLine(string.Join(Environment.NewLine, machine.Select(kv => $"  {kv.Key}: {kv.Value}")));

var speech = SpeechLoop.Make();
Console.WriteLine($"speech loop: {speech.Packets.Length} Opus packets ({speech.Packets.Length / 50.0:F1} s), {speech.Packets.Average(p => p.Length):F0} bytes avg, {speech.Sentences} sentences");

var breakdown = Breakdown.Measure(speech);
foreach (var stage in breakdown)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  per frame, one thread: {stage.Name}: mean {stage.MeanMicros:F1} us, p50 {stage.P50Micros:F1}, p99 {stage.P99Micros:F1}"));
}

var runs = new List<RampResult>();
if (!Flag("--python-only"))
{
    if (!Flag("--no-build"))
    {
        Console.WriteLine("building the server (Release)...");
        Exec("dotnet", ["build", Path.Combine(root, "src/RemoteMedia.Server"), "-c", "Release", "-v", "q", "-nologo"]);
    }
    var dll = Path.Combine(root, "src/RemoteMedia.Server/bin/Release/net10.0/RemoteMedia.Server.dll");
    await using var server = await ServerUnderTest.StartAsync("RemoteMedia.Server (.NET, native nodes)", "dotnet",
        [dll, "--VoiceServer:MaxSessions=1000", "--VoiceServer:PreprocessOnly=true", "--Logging:LogLevel:Default=Warning"],
        port => ["--urls", $"http://127.0.0.1:{port}"]);
    runs.Add(await new Ramp(server, speech, window, stopOnP99: true).RunAsync(dotnetLevels));
}
if (!Flag("--dotnet-only"))
{
    var script = Path.Combine(root, "benchmarks/python/aiortc_server.py");
    foreach (var filter in pythonFilters)
    {
        ServerUnderTest server;
        try
        {
            server = await ServerUnderTest.StartAsync($"aiortc_server.py (Python, aiortc + resampy {filter})", "/usr/bin/python3",
                [script, "--filter", filter], port => ["--port", port.ToString(CultureInfo.InvariantCulture)]);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            Console.Error.WriteLine($"the Python peer did not start ({ex.Message}); it needs Debian's /usr/bin/python3 with " +
                "python3-aiortc python3-resampy python3-aiohttp (apt-get install -y ...). Skipping it.");
            break;
        }
        await using (server)
        {
            runs.Add(await new Ramp(server, speech, window, stopOnP99: false).RunAsync(pythonLevels));
        }
    }
}

machine["loadavg_at_end"] = File.ReadAllText("/proc/loadavg").Trim();
Report.Write(outDir, machine, speech, window, breakdown, runs, quick);
return 0;

static string FindRepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "RemoteMedia.sln")))
        {
            return dir.FullName;
        }
    }
    for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "RemoteMedia.sln")))
        {
            return dir.FullName;
        }
    }
    throw new InvalidOperationException("cannot find the repository root (RemoteMedia.sln)");
}

static void Exec(string file, string[] arguments)
{
    var info = new ProcessStartInfo(file) { UseShellExecute = false };
    foreach (var a in arguments)
    {
        info.ArgumentList.Add(a);
    }
    using var p = Process.Start(info)!;
    p.WaitForExit();
    if (p.ExitCode != 0)
    {
        throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed with {p.ExitCode}");
    }
}

namespace RemoteMedia.LoadTest
{
    /// <summary>Speech-like audio for the callers: espeak-ng commands with pauses, at 48 kHz, Opus-encoded once.</summary>
    internal sealed record SpeechLoop(byte[][] Packets, int Sentences)
    {
        private static readonly string[] Sentences_ =
        [
            "please turn on the kitchen lights", "what time is it", "turn off the bedroom lights",
            "are the office lights on", "what day is it", "turn on the living room lights", "thank you",
        ];

        /// <summary>The packet a caller who started at <paramref name="offset"/> sends at <paramref name="tick"/> (the loop repeats).</summary>
        public byte[] PacketAt(long tick, int offset) => Packets[(tick + offset) % Packets.Length];

        /// <param name="pauseSeconds">Silence after each sentence: 0.8 s keeps a caller talking; longer pauses make sparse talkers.</param>
        public static SpeechLoop Make(double pauseSeconds = 0.8)
        {
            using var synthesizer = new EspeakSynthesizer();
            using var reply = AudioPipeline.CreateBuilder("to-48k")
                .Then("format", "FormatConverterNode", """{"target_format":"f32"}""")
                .Then("resample", "AudioResampleNode", """{"target_sample_rate":48000,"quality":"high"}""")
                .Then("pcm", "FormatConverterNode", """{"target_format":"i16"}""")
                .Build();
            var pcm = new List<short>();
            foreach (var sentence in Sentences_)
            {
                var spoken = synthesizer.Synthesize(sentence);
                var result = reply.Run(spoken.Format, MemoryMarshal.AsBytes(spoken.Samples.AsSpan()));
                pcm.AddRange(MemoryMarshal.Cast<byte, short>(result.Output.AsSpan()).ToArray());
                pcm.AddRange(new short[(int)(48_000 * pauseSeconds)]); // a pause: the VADs close the utterance
            }
            using var encoder = new OpusEncoder();
            var frames = pcm.Count / 960;
            var packets = new byte[frames][];
            var buffer = new byte[OpusEncoder.MaxPacketBytes];
            var samples = pcm.ToArray();
            for (var f = 0; f < frames; f++)
            {
                var n = encoder.Encode(samples.AsSpan(f * 960, 960), buffer);
                packets[f] = buffer.AsSpan(0, n).ToArray();
            }
            return new SpeechLoop(packets, Sentences_.Length);
        }
    }

    /// <summary>A caller: its media client, its signaling socket, and the utterances the server reported.</summary>
    internal sealed class Caller : IAsyncDisposable
    {
        private readonly ClientWebSocket socket;
        private readonly Task reader;
        private int utterances;
        private int transcripts;

        private Caller(ClientWebSocket socket, LoadClient media, int offset)
        {
            this.socket = socket;
            Media = media;
            Offset = offset;
            reader = Task.Run(ReadAsync);
        }

        public LoadClient Media { get; }

        public int Offset { get; }

        /// <summary>Utterances reported by a preprocessing-only server.</summary>
        public int Utterances => Volatile.Read(ref utterances);

        /// <summary>Transcripts sent by the full assistant (recognized utterances).</summary>
        public int Transcripts => Volatile.Read(ref transcripts);

        public static async Task<Caller> ConnectAsync(Uri ws, int offset)
        {
            var socket = new ClientWebSocket();
            var media = new LoadClient();
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await socket.ConnectAsync(ws, timeout.Token);
                var offer = JsonSerializer.Serialize(new { type = "offer", sdp = media.Offer() });
                await socket.SendAsync(Encoding.UTF8.GetBytes(offer), WebSocketMessageType.Text, true, timeout.Token);
                while (true)
                {
                    var message = await ReceiveAsync(socket, timeout.Token) ?? throw new InvalidOperationException("signaling closed before the answer");
                    var type = message.GetProperty("type").GetString();
                    if (type == "answer")
                    {
                        var sdp = message.GetProperty("sdp").GetString()!;
                        await Task.Run(() => media.Connect(sdp), timeout.Token);
                        return new Caller(socket, media, offset);
                    }
                    if (type == "error")
                    {
                        throw new InvalidOperationException("server error: " + message.GetProperty("message").GetString());
                    }
                }
            }
            catch
            {
                media.Dispose();
                socket.Dispose();
                throw;
            }
        }

        private static async Task<JsonElement?> ReceiveAsync(ClientWebSocket socket, CancellationToken cancel)
        {
            var buffer = new byte[64 * 1024];
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(length), cancel);
                length += result.Count;
            }
            while (!result.EndOfMessage);
            return result.MessageType == WebSocketMessageType.Close ? null : JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement.Clone();
        }

        private async Task ReadAsync()
        {
            try
            {
                while (await ReceiveAsync(socket, CancellationToken.None) is { } message)
                {
                    switch (message.GetProperty("type").GetString())
                    {
                        case "utterance":
                            Interlocked.Increment(ref utterances);
                            break;
                        case "transcript":
                            Interlocked.Increment(ref transcripts);
                            break;
                    }
                }
            }
            catch (Exception ex) when (ex is WebSocketException or JsonException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.SendAsync(Encoding.UTF8.GetBytes("""{"type":"close"}"""), WebSocketMessageType.Text, true, timeout.Token);
                await reader.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or TimeoutException or ObjectDisposedException)
            {
            }
            Media.Dispose();
            socket.Dispose();
        }
    }
}
