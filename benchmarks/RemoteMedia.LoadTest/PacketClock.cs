using System.Diagnostics;

namespace RemoteMedia.LoadTest;

/// <summary>
/// Paces the callers' sender at one tick per 20 ms of wall clock (one Opus packet per caller per tick) and counts the
/// ticks that start more than 10 ms late: when they pile up, the load client, not the server, is what falls behind.
/// </summary>
internal sealed class PacketClock
{
    private readonly Stopwatch clock = new();
    private long lateTicks;

    public long LateTicks => Interlocked.Read(ref lateTicks);

    /// <summary>Sleeps until tick <paramref name="tick"/> is due; the first call starts the clock at tick 0.</summary>
    public void WaitFor(long tick)
    {
        if (!clock.IsRunning)
        {
            clock.Start();
        }
        var wait = tick * 20.0 - clock.Elapsed.TotalMilliseconds;
        if (wait > 1)
        {
            Thread.Sleep(TimeSpan.FromMilliseconds(wait));
        }
        else if (wait < -10)
        {
            Interlocked.Increment(ref lateTicks);
        }
    }
}
