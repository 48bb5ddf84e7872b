namespace RemoteMedia.Server.Assistant;

/// <summary>
/// The last few seconds of per-frame preprocessing times, for the page's "µs per frame" figure. The median is
/// what a caller experiences in steady state; the histogram at /metrics keeps the full distribution.
/// </summary>
internal sealed class FrameTimes
{
    private const int Capacity = 256;
    private readonly double[] ring = new double[Capacity];
    private readonly object gate = new();
    private int count;
    private int next;

    /// <summary>Media thread: a store, no allocation.</summary>
    public void Add(double microseconds)
    {
        lock (gate)
        {
            ring[next] = microseconds;
            next = (next + 1) % Capacity;
            count = Math.Min(count + 1, Capacity);
        }
    }

    public double Median()
    {
        double[] copy;
        lock (gate)
        {
            if (count == 0)
            {
                return 0;
            }
            copy = ring[..count];
        }
        Array.Sort(copy);
        return copy.Length % 2 == 1 ? copy[copy.Length / 2] : (copy[(copy.Length / 2) - 1] + copy[copy.Length / 2]) / 2;
    }
}
