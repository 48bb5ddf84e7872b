using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RemoteMedia.WebRtc.Tests.Faults;

/// <summary>What the relay does to datagrams; every random choice comes from one seeded generator.</summary>
internal sealed record Impairment
{
    public double Loss { get; init; }

    public double Duplicate { get; init; }

    /// <summary>Probability that a datagram is held back and sent after the next one.</summary>
    public double Reorder { get; init; }

    /// <summary>Each datagram is delayed by a uniform random 0..Jitter (so jitter also reorders).</summary>
    public TimeSpan Jitter { get; init; }

    public static Impairment None { get; } = new();
}

/// <summary>
/// A UDP relay on 127.0.0.1 between one client and one server endpoint: the client talks to <see cref="EndPoint"/>,
/// the relay forwards to the server from its own socket and sends the replies back. Both directions pass through
/// the current <see cref="Impairment"/>; <see cref="Blackout"/> drops everything. Bounded: it only forwards what
/// the two ends send, and stops on Dispose.
/// </summary>
internal sealed class LossyRelay : IDisposable
{
    private readonly Socket front = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Socket back = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly IPEndPoint server;
    private readonly Random rng;
    private readonly object gate = new();
    private readonly PriorityQueue<(byte[] Data, bool ToServer), long> due = new();
    private readonly Thread frontThread;
    private readonly Thread backThread;
    private readonly Thread sendThread;
    private readonly AutoResetEvent wake = new(false);
    private (byte[] Data, bool ToServer)? held;
    private volatile Impairment impairment = Impairment.None;
    private volatile bool blackout;
    private volatile bool disposed;
    private EndPoint? client;
    private long seen;
    private long dropped;
    private long duplicated;
    private long reordered;
    private long forwarded;

    internal LossyRelay(IPEndPoint server, int seed)
    {
        this.server = server;
        rng = new Random(seed);
        front.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        back.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        front.ReceiveTimeout = back.ReceiveTimeout = 100;
        frontThread = new Thread(() => Pump(front, toServer: true)) { IsBackground = true, Name = "relay front" };
        backThread = new Thread(() => Pump(back, toServer: false)) { IsBackground = true, Name = "relay back" };
        sendThread = new Thread(SendLoop) { IsBackground = true, Name = "relay send" };
        frontThread.Start();
        backThread.Start();
        sendThread.Start();
    }

    /// <summary>Where the client must send (put it in the answer's candidate instead of the server's port).</summary>
    internal IPEndPoint EndPoint => (IPEndPoint)front.LocalEndPoint!;

    internal Impairment Impairment
    {
        get => impairment;
        set => impairment = value;
    }

    /// <summary>While true, every datagram in both directions is dropped.</summary>
    internal bool Blackout
    {
        get => blackout;
        set => blackout = value;
    }

    internal long Seen => Interlocked.Read(ref seen);

    internal long Dropped => Interlocked.Read(ref dropped);

    internal long Duplicated => Interlocked.Read(ref duplicated);

    internal long Reordered => Interlocked.Read(ref reordered);

    internal long Forwarded => Interlocked.Read(ref forwarded);

    /// <summary>The answer SDP with the server's host candidate and port replaced by the relay's.</summary>
    internal string Rewrite(string answerSdp) => answerSdp.Replace($" {server.Port} typ host", $" {EndPoint.Port} typ host", StringComparison.Ordinal);

    public void Dispose()
    {
        disposed = true;
        wake.Set();
        front.Dispose();
        back.Dispose();
        frontThread.Join(2000);
        backThread.Join(2000);
        sendThread.Join(2000);
        wake.Dispose();
    }

    private void Pump(Socket socket, bool toServer)
    {
        var buffer = new byte[2048];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (!disposed)
        {
            int n;
            try
            {
                n = socket.ReceiveFrom(buffer, ref from);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.ConnectionReset)
            {
                continue;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            if (toServer)
            {
                client = from.Create(from.Serialize());
            }

            Interlocked.Increment(ref seen);
            Schedule(buffer.AsSpan(0, n).ToArray(), toServer);
        }
    }

    private void Schedule(byte[] data, bool toServer)
    {
        var imp = impairment;
        lock (gate)
        {
            if (blackout || rng.NextDouble() < imp.Loss)
            {
                Interlocked.Increment(ref dropped);
                return;
            }

            int copies = rng.NextDouble() < imp.Duplicate ? 2 : 1;
            if (copies == 2)
            {
                Interlocked.Increment(ref duplicated);
            }

            for (int c = 0; c < copies; c++)
            {
                if (held is null && rng.NextDouble() < imp.Reorder)
                {
                    held = (data, toServer);   // goes out right after the next datagram
                    Interlocked.Increment(ref reordered);
                    continue;
                }

                Enqueue((data, toServer), imp);
                if (held is { } h)
                {
                    held = null;
                    Enqueue(h, imp);
                }
            }
        }

        wake.Set();
    }

    private void Enqueue((byte[] Data, bool ToServer) item, Impairment imp)
    {
        long delay = (long)(rng.NextDouble() * imp.Jitter.TotalSeconds * Stopwatch.Frequency);
        due.Enqueue(item, Stopwatch.GetTimestamp() + delay);
    }

    private void SendLoop()
    {
        while (!disposed)
        {
            (byte[] Data, bool ToServer) item;
            int waitMs;
            lock (gate)
            {
                if (due.TryPeek(out item, out long at))
                {
                    long now = Stopwatch.GetTimestamp();
                    if (at <= now)
                    {
                        due.Dequeue();
                        waitMs = -1;
                    }
                    else
                    {
                        waitMs = (int)Math.Max(1, (at - now) * 1000 / Stopwatch.Frequency);
                    }
                }
                else
                {
                    waitMs = 50;
                    item = default;
                }
            }

            if (waitMs >= 0)
            {
                wake.WaitOne(waitMs);
                continue;
            }

            try
            {
                if (item.ToServer)
                {
                    back.SendTo(item.Data!, server);
                }
                else if (client is { } c)
                {
                    front.SendTo(item.Data!, c);
                }

                Interlocked.Increment(ref forwarded);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }
    }
}
