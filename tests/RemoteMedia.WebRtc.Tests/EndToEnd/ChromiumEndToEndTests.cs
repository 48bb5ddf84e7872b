using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace RemoteMedia.WebRtc.Tests.EndToEnd;

/// <summary>
/// Headless Debian Chromium (fake microphone from an espeak-ng WAV, fake camera) against PeerConnection,
/// both inside a private network namespace. Needs root, chromium and espeak-ng (build.sh setup); fails clearly without them.
/// </summary>
[Collection("Serial")]
public class ChromiumEndToEndTests(ITestOutputHelper output)
{
    private const string Chromium = "/usr/lib/chromium/chromium";

    [Fact]
    public void Browser_speech_reaches_the_server_and_the_server_tone_reaches_the_browser()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y --no-install-recommends chromium (build.sh setup does this)");
        var reference = Speech.Samples48k;
        using var ns = NetworkNamespace.Create();
        using var server = new E2EServer(ns, 8765);
        var profile = Directory.CreateTempSubdirectory("rm-webrtc-chromium-");
        Process? browser = null;
        try
        {
            browser = ns.Run(() => StartChromium(profile.FullName, Speech.WavPath, $"http://127.0.0.1:{server.Port}/e2e.html"));
            var result = server.WaitForLog("RESULT ", TimeSpan.FromSeconds(45));
            foreach (var l in server.Logs)
            {
                output.WriteLine("page: " + l);
            }

            Assert.True(result is not null, "the page did not report a result: " + string.Join(" | ", server.Logs));
            var pc = server.Peer!;
            var stats = pc.GetStats();
            output.WriteLine("server stats: " + stats);
            var r = JsonDocument.Parse(result!["RESULT ".Length..]).RootElement;

            // The offer had a camera; the answer rejected it and the call still connected.
            Assert.Contains("m=video", server.OfferSdp, StringComparison.Ordinal);
            Assert.Contains("m=video 0 ", pc.LocalDescription, StringComparison.Ordinal);
            Assert.Contains(PeerConnectionState.Connected, server.States);
            Assert.Equal("connected", r.GetProperty("dtlsState").GetString());
            Assert.False(string.IsNullOrEmpty(r.GetProperty("srtpCipher").GetString()));

            // Browser -> server: the speech arrived (energy, and its envelope matches the WAV's).
            var got = server.Received;
            Assert.True(got.Length >= 48000 * 2, $"server received only {got.Length} samples");
            double rms = Signal.Rms(got);
            double corr = Speech.EnvelopeCorrelation(reference, got);
            output.WriteLine($"received {got.Length / 48000.0:F2} s, rms {rms:F0}, envelope correlation {corr:F3}");
            Assert.True(rms > 300, $"received audio is near silent (rms {rms:F0})");
            Assert.True(corr > 0.6, $"received audio does not follow the speech envelope (correlation {corr:F3})");
            Assert.Equal(0, stats.SrtpAuthFailures);

            // Server -> browser: the tone arrived and is the loudest thing in the remote track.
            Assert.True(r.GetProperty("packetsReceived").GetInt32() > 50, "browser received too few packets");
            // (totalAudioEnergy stays 0 in headless Chromium: nothing is played out; the AnalyserNode sees the track itself.)
            var peaks = r.GetProperty("peaks").EnumerateArray().Select(p => (Hz: p.GetProperty("hz").GetDouble(), Db: p.GetProperty("db").GetDouble())).ToArray();
            Assert.NotEmpty(peaks);
            int near = peaks.Count(p => Math.Abs(p.Hz - E2EServer.ToneHz) < 30 && p.Db > -60);
            Assert.True(near * 2 > peaks.Length, "analyser peaks: " + string.Join(",", peaks));

            // Data channels both ways: the client's "chat" is echoed; the server's own "server" channel says hello.
            var dc = r.GetProperty("dc");
            Assert.Contains("hello from chromium", server.DataChannelMessages);
            Assert.Equal("echo: hello from chromium", dc.GetProperty("echo").GetString());
            Assert.Equal("server", dc.GetProperty("label").GetString());
            Assert.Equal(E2EServer.ServerGreeting, dc.GetProperty("fromServer").GetString());
        }
        finally
        {
            if (browser is not null)
            {
                if (!browser.HasExited)
                {
                    browser.Kill(entireProcessTree: true);
                }

                browser.WaitForExit(5000);
                browser.Dispose();
            }

            try
            {
                profile.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static Process StartChromium(string profileDir, string wav, string url)
    {
        var psi = new ProcessStartInfo(Chromium) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--user-data-dir=" + profileDir,
            "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", "--use-file-for-fake-audio-capture=" + wav,
            "--allow-loopback-in-peer-connection", "--autoplay-policy=no-user-gesture-required", "--remote-debugging-port=0", url,
        })
        {
            psi.ArgumentList.Add(a);
        }

        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }
}
