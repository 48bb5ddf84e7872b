using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace RemoteMedia.WebRtc.Tests.EndToEnd;

/// <summary>
/// Debian's python3-aiortc (an independent WebRTC stack) against PeerConnection, inside a private network
/// namespace. Needs root, /usr/bin/python3 with python3-aiortc, and espeak-ng (build.sh setup); fails clearly without them.
/// </summary>
[Collection("Serial")]
public class AiortcEndToEndTests(ITestOutputHelper output)
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public async Task Aiortc_speech_reaches_the_server_and_the_server_tone_reaches_aiortc()
    {
        Assert.True(File.Exists(Python), "/usr/bin/python3 is missing");
        Assert.True(
            Directory.Exists("/usr/lib/python3/dist-packages/aiortc"),
            "python3-aiortc is missing: apt-get install -y python3-aiortc (build.sh setup does this)");
        var reference = Speech.Samples48k;
        using var ns = NetworkNamespace.Create();
        using var server = new E2EServer(ns, 8766);
        string script = Path.Combine(AppContext.BaseDirectory, "Fixtures", "aiortc_client.py");
        using var client = ns.Run(() =>
        {
            var psi = new ProcessStartInfo(Python) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { script, $"http://127.0.0.1:{server.Port}/offer", Speech.WavPath, "5" })
            {
                psi.ArgumentList.Add(a);
            }

            return Process.Start(psi)!;
        });
        var stderr = client.StandardError.ReadToEndAsync();
        var stdout = client.StandardOutput.ReadToEndAsync();
        if (!client.WaitForExit(45_000))
        {
            client.Kill(entireProcessTree: true);
            client.WaitForExit(5000);
            Assert.Fail("aiortc client did not finish in 45 s");
        }

        string line = (await stdout).Trim().Split('\n').LastOrDefault() ?? string.Empty;
        output.WriteLine("aiortc: " + line);
        Assert.True(client.ExitCode == 0 && line.StartsWith('{'), $"aiortc client failed (exit {client.ExitCode}): {await stderr}");
        var r = JsonDocument.Parse(line).RootElement;
        var pc = server.Peer!;
        var stats = pc.GetStats();
        output.WriteLine("server stats: " + stats);

        Assert.Contains("connected", r.GetProperty("states").EnumerateArray().Select(s => s.GetString()));
        Assert.Contains(PeerConnectionState.Connected, server.States);
        Assert.Contains("a=rtpmap:96 opus/48000/2", pc.LocalDescription, StringComparison.Ordinal);

        // aiortc -> server: the looped speech arrived and follows the WAV's envelope.
        var got = server.Received;
        double rms = Signal.Rms(got);
        double corr = Speech.EnvelopeCorrelation(reference, got);
        output.WriteLine($"server received {got.Length / 48000.0:F2} s, rms {rms:F0}, envelope correlation {corr:F3}");
        Assert.True(got.Length >= 48000 * 2, $"server received only {got.Length} samples");
        Assert.True(rms > 300, $"received audio is near silent (rms {rms:F0})");
        Assert.True(corr > 0.6, $"received audio does not follow the speech envelope (correlation {corr:F3})");
        Assert.Equal(0, stats.SrtpAuthFailures);

        // server -> aiortc: the 1 kHz tone dominates what aiortc decoded.
        Assert.True(r.GetProperty("samples").GetInt32() >= 48000, "aiortc received less than 1 s");
        double share = r.GetProperty("toneShare").GetDouble();
        Assert.True(share > 0.8, $"1 kHz holds only {share:P0} of the received power");

        // Data channels both ways: the client's "chat" is echoed; the server's own "server" channel says hello.
        var dc = r.GetProperty("dc");
        Assert.Contains("hello from aiortc", server.DataChannelMessages);
        Assert.Equal("echo: hello from aiortc", dc.GetProperty("echo").GetString());
        Assert.Equal("server", dc.GetProperty("label").GetString());
        Assert.Equal(E2EServer.ServerGreeting, dc.GetProperty("fromServer").GetString());
    }
}
