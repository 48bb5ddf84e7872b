using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using RemoteMedia.Audio.Wav;
using Xunit.Abstractions;

namespace RemoteMedia.Server.Tests.EndToEnd;

/// <summary>
/// Headless Chromium calls the real voice server, both inside a private network namespace (unshare -n): a fake
/// microphone says a command (the file repeats, so the caller says it again every few seconds), the page must show
/// the transcript, get the reply text over the data channel and hear the spoken reply in the remote track. Needs root, chromium, espeak-ng, iproute2 and curl (./build.sh setup).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserCallTests(ITestOutputHelper output) : IDisposable
{
    private const string Chromium = "/usr/lib/chromium/chromium";
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("rm-server-e2e-");

    [Fact]
    public void Our_page_hears_the_transcript_the_reply_text_and_the_spoken_reply()
    {
        var events = Call("please turn on the kitchen lights", "8080/?autostart=1", staticDir: null);

        Assert.Contains(events, e => Is(e, "transcript") && Text(e) == "please turn on the kitchen lights");
        var reply = Assert.Single(events, e => Is(e, "reply") && Text(e).Contains("kitchen lights", StringComparison.Ordinal) && e.GetProperty("via").GetString() == "datachannel");
        Assert.Contains("on", Text(reply), StringComparison.Ordinal);
        Assert.Contains(events, e => Is(e, "remote-audio"));
        var timings = events.First(e => Is(e, "timings") && e.TryGetProperty("reply_latency_ms", out _));
        output.WriteLine($"timings: {timings}");
        Assert.True(timings.GetProperty("preprocess_us_per_frame").GetDouble() > 0);
        Assert.Contains(timings.GetProperty("runtime").GetString(), new[] { "native", "managed" });
        Assert.Contains("closed after", File.ReadAllText(Path.Combine(work.FullName, "server.log")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_page_shaped_like_the_original_client_works_unmodified()
    {
        var page = Path.Combine(AppContext.BaseDirectory, "EndToEnd", "original-client.html");
        var events = Call("turn off the bedroom lights", "8081/original-client.html", staticDir: Path.GetDirectoryName(page));

        Assert.Contains(events, e => Is(e, "answer") && e.GetProperty("video_rejected").GetBoolean());
        Assert.Contains(events, e => Is(e, "datachannel-open") && e.GetProperty("label").GetString() == "messages");
        Assert.Contains(events, e => Is(e, "greeting") && e.GetProperty("via").GetString() == "datachannel");
        Assert.Contains(events, e => Is(e, "reply") && System.Text.RegularExpressions.Regex.IsMatch(Text(e), @"\d{1,2}:\d{2}")); // typed "what time is it"
        Assert.Contains(events, e => Is(e, "transcript") && Text(e) == "turn off the bedroom lights");
        Assert.Contains(events, e => Is(e, "remote-audio"));
    }

    private List<JsonElement> Call(string sentence, string pagePath, string? staticDir)
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: run ./build.sh setup (installs chromium)");
        var wav = MakeMicrophoneWav(sentence);
        var script = Path.Combine(AppContext.BaseDirectory, "EndToEnd", "browser-call.sh");
        var info = new ProcessStartInfo("unshare") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-n", "bash", script, ServerDll, wav, pagePath, work.FullName, "45", sentence, staticDir ?? "" })
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(100)), "browser call did not finish in 100 s");
        Assert.True(process.ExitCode == 0, $"browser-call.sh failed ({process.ExitCode}): {stderr.Result} (needs root for unshare -n)");

        var lines = File.ReadAllLines(Path.Combine(work.FullName, "chromium.log"));
        var events = lines
            .Select(l => l.IndexOf("remotemedia: ", StringComparison.Ordinal) is var i and >= 0 ? l[(i + 13)..] : null)
            .Where(l => l is not null)
            .Select(l => l![..(l!.LastIndexOf('}') + 1)])
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .ToList();
        foreach (var e in events)
        {
            output.WriteLine(e.ToString());
        }
        Assert.NotEmpty(events);
        return events;
    }

    private static bool Is(JsonElement e, string type) => e.GetProperty("type").GetString() == type;

    private static string Text(JsonElement e) => e.GetProperty("text").GetString() ?? "";

    private static string ServerDll
    {
        get
        {
            var config = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (!File.Exists(Path.Combine(root.FullName, "RemoteMedia.sln")))
            {
                root = root.Parent ?? throw new InvalidOperationException("run from the source checkout");
            }
            return Path.Combine(root.FullName, "src", "RemoteMedia.Server", "bin", config, "net10.0", "RemoteMedia.Server.dll");
        }
    }

    /// <summary>The sentence as a WAV for Chromium's fake microphone: 1 s of silence before, 3 s after.</summary>
    private string MakeMicrophoneWav(string sentence)
    {
        var samples = SpokenAudio.At48k(sentence, 1, 3);
        var wav = Path.Combine(work.FullName, "microphone.wav");
        WavWriter.WriteAll(wav, AudioFormat.S16(48000, 1), MemoryMarshal.AsBytes(samples.AsSpan()));
        return wav;
    }

    public void Dispose()
    {
        try
        {
            work.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection
{
    public const string Name = "browser (port 8080 in a private namespace)";
}
