using System.Diagnostics;

namespace RemoteMedia.WebRtc;

/// <summary>One process-wide thread that ticks every 20 ms and lets each registered peer send its next audio frame.</summary>
internal static class AudioPacer
{
    private static readonly List<PeerConnection> Peers = [];
    private static readonly object Gate = new();
    private static Thread? thread;

    internal static void Register(PeerConnection peer)
    {
        lock (Gate)
        {
            Peers.Add(peer);
            if (thread is null)
            {
                thread = new Thread(Run) { IsBackground = true, Name = "RemoteMedia.WebRtc pacer", Priority = ThreadPriority.AboveNormal };
                thread.Start();
            }

            Monitor.PulseAll(Gate);
        }
    }

    /// <summary>Removes the peer; when this returns, no tick is running on it.</summary>
    internal static void Unregister(PeerConnection peer)
    {
        lock (Gate)
        {
            Peers.Remove(peer);
        }
    }

    private static void Run()
    {
        long period = Stopwatch.Frequency / 50;
        long next = Stopwatch.GetTimestamp() + period;
        while (true)
        {
            lock (Gate)
            {
                while (Peers.Count == 0)
                {
                    Monitor.Wait(Gate);
                    next = Stopwatch.GetTimestamp() + period;
                }

                foreach (var p in Peers)
                {
                    try
                    {
                        p.PaceTick();
                    }
#pragma warning disable CA1031 // one peer's failure must not stop every other peer's audio
                    catch (Exception)
#pragma warning restore CA1031
                    {
                        p.OnPacerError();
                    }
                }
            }

            long now = Stopwatch.GetTimestamp();
            long wait = next - now;
            if (wait < -5 * period)
            {
                next = now + period;     // far behind (machine stalled): resynchronise rather than burst
                continue;
            }

            if (wait > 0)
            {
                Thread.Sleep(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
            }

            next += period;
        }
    }
}
