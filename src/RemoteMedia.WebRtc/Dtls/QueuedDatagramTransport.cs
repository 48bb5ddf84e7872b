using System.Collections.Concurrent;
using Org.BouncyCastle.Tls;

namespace RemoteMedia.WebRtc.Dtls;

/// <summary>Sends one datagram to the peer.</summary>
internal delegate void DatagramSender(ReadOnlySpan<byte> datagram);

/// <summary>
/// BouncyCastle's view of our demultiplexed UDP socket: the receive loop posts DTLS records here,
/// and sends go straight out through the socket. Bounded: when full, new records are dropped (and counted by the caller).
/// </summary>
internal sealed class QueuedDatagramTransport : DatagramTransport, IDisposable
{
    internal const int Mtu = 1200;
    private readonly BlockingCollection<byte[]> inbound = new(boundedCapacity: 256);
    private readonly DatagramSender send;
    private readonly CancellationTokenSource closed = new();

    internal QueuedDatagramTransport(DatagramSender send) => this.send = send;

    /// <summary>Posts a received DTLS record; false when the queue is full or closed.</summary>
    internal bool Post(ReadOnlySpan<byte> datagram)
    {
        if (closed.IsCancellationRequested)
        {
            return false;
        }

        try
        {
            return inbound.TryAdd(datagram.ToArray());
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public int GetReceiveLimit() => 1500;

    public int GetSendLimit() => Mtu;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    public int Receive(Span<byte> buffer, int waitMillis)
    {
        ObjectDisposedException.ThrowIf(closed.IsCancellationRequested, this);
        try
        {
            if (!inbound.TryTake(out var d, waitMillis, closed.Token))
            {
                return -1;
            }

            int n = Math.Min(d.Length, buffer.Length);
            d.AsSpan(0, n).CopyTo(buffer);
            return n;
        }
        catch (OperationCanceledException)
        {
            throw new ObjectDisposedException(nameof(QueuedDatagramTransport));
        }
    }

    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    public void Send(ReadOnlySpan<byte> buffer) => send(buffer);

    public void Close()
    {
        if (!closed.IsCancellationRequested)
        {
            closed.Cancel();
        }
    }

    /// <summary>Closes the transport; the token source and queue stay alive for late readers and are left to the GC.</summary>
    public void Dispose() => Close();
}
