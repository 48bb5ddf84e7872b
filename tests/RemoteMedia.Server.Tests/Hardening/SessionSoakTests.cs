using System.Diagnostics;
using RemoteMedia.WebRtc.Interop;
using Xunit.Abstractions;

namespace RemoteMedia.Server.Tests.Hardening;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SoakCollection
{
    public const string Name = "Soak (process-wide counters)";
}

/// <summary>
/// The short soak of the test command: many session create/destroy cycles through the real server's session manager
/// with the real call handlers (voice pipelines with native nodes), then native live-object counters back to where
/// they started and no growth in threads or file descriptors. Runs alone: the counters are process-wide.
/// </summary>
[Collection(SoakCollection.Name)]
public sealed class SessionSoakTests(ITestOutputHelper output)
{
    private const int Cycles = 1000;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    private static string Offer() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "chromium-offer.sdp"));

    private static int Fds() => Directory.GetFiles("/proc/self/fd").Length;

    private static int Threads() => Process.GetCurrentProcess().Threads.Count;

    [Fact]
    public async Task Session_create_destroy_cycles_leave_no_native_objects_threads_or_descriptors_behind()
    {
        await using var server = await RunningServer.StartAsync(handlers: null, "--VoiceServer:MaxSessions=4");
        var offer = Offer();

        // Warm-up: lazy singletons (recognizer pool, synthesizer), JIT, thread pool.
        for (int i = 0; i < 10; i++)
        {
            server.Sessions.Create(offer, _ => { }).Dispose();
        }

        await Task.Delay(200);
        long nodes0 = RemoteMediaRuntime.LiveNativeNodes, handles0 = NativeHandleCounter.Live;
        int fds0 = Fds(), threads0 = Threads();

        var clock = Stopwatch.StartNew();
        int cycles = 0;
        long peakNodes = 0;
        while (cycles < Cycles && clock.Elapsed < Budget)
        {
            // Two sessions alive at once, so teardown of one overlaps the life of another.
            var a = server.Sessions.Create(offer, _ => { });
            var b = server.Sessions.Create(offer, _ => { });
            peakNodes = Math.Max(peakNodes, RemoteMediaRuntime.LiveNativeNodes);
            a.Dispose();
            b.Dispose();
            cycles += 2;
        }

        await Task.Delay(200);
        long nodes1 = RemoteMediaRuntime.LiveNativeNodes, handles1 = NativeHandleCounter.Live;
        int fds1 = Fds(), threads1 = Threads();
        output.WriteLine($"{cycles} sessions in {clock.Elapsed.TotalSeconds:F1} s; native nodes {nodes0}->{nodes1} (peak {peakNodes}); " +
            $"native handles {handles0}->{handles1}; fds {fds0}->{fds1}; threads {threads0}->{threads1}; sessions left {server.Sessions.Count}");

        Assert.True(cycles >= 200, $"only {cycles} cycles fit in the budget");
        Assert.Equal(0, server.Sessions.Count);
        Assert.Equal(nodes0, nodes1);
        Assert.Equal(handles0, handles1);

        // A leaked socket or thread per session would show as hundreds; allow the runtime's own slack.
        Assert.InRange(fds1, 0, fds0 + 8);
        Assert.InRange(threads1, 0, threads0 + 8);
    }
}
