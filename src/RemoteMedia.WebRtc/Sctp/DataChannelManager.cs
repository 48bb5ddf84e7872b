using System.Buffers.Binary;
using System.Text;
using RemoteMedia.WebRtc.Dtls;

namespace RemoteMedia.WebRtc.Sctp;

/// <summary>
/// The data-channel layer over one SCTP association: DCEP open/ack (RFC 8832), stream id parity by DTLS role,
/// string/binary PPIDs, and channel close on stream reset.
/// </summary>
internal sealed class DataChannelManager : IDisposable
{
    internal const ushort SctpPort = 5000;
    private const byte DcepOpen = 0x03;
    private const byte DcepAck = 0x02;
    private readonly Dictionary<ushort, DataChannel> channels = [];
    private readonly List<DataChannel> pendingOpen = [];
    private readonly Lock gate = new();
    private readonly Counters counters;
    private readonly SctpAssociation association;
    private ushort nextStreamId;

    internal DataChannelManager(DatagramSender output, bool isDtlsClient, ushort remotePort, Counters counters)
    {
        this.counters = counters;
        nextStreamId = isDtlsClient ? (ushort)0 : (ushort)1;
        association = new SctpAssociation(output, SctpPort, remotePort)
        {
            MessageReceived = OnMessage,
            StateChanged = OnAssociationState,
            StreamReset = OnStreamReset,
        };
    }

    /// <summary>A channel opened (by the peer's DCEP OPEN, or by the peer's ACK of ours).</summary>
    internal Action<DataChannel>? ChannelOpened { get; set; }

    internal bool IsUp => association.IsUp;

    internal void Input(ReadOnlySpan<byte> sctpPacket) => association.Input(sctpPacket);

    /// <summary>Creates a channel of ours; its DCEP OPEN goes out now, or when the association comes up.</summary>
    internal DataChannel Create(string label, string protocol)
    {
        lock (gate)
        {
            var c = new DataChannel(this, nextStreamId, label, protocol, open: false);
            nextStreamId += 2;
            channels[c.StreamId] = c;
            if (association.IsUp)
            {
                SendOpen(c);
            }
            else
            {
                pendingOpen.Add(c);
            }

            return c;
        }
    }

    internal bool Send(ushort streamId, uint ppid, ReadOnlySpan<byte> data)
    {
        bool ok = association.Send(streamId, ppid, data);
        if (ok && ppid != Ppid.Dcep)
        {
            Counters.Inc(ref counters.DataChannelMessagesSent);
        }

        return ok;
    }

    public void Dispose()
    {
        association.Dispose();
        lock (gate)
        {
            foreach (var c in channels.Values)
            {
                c.OnClosed();
            }

            channels.Clear();
        }
    }

    private void SendOpen(DataChannel c)
    {
        var label = Encoding.UTF8.GetBytes(c.Label);
        var protocol = Encoding.UTF8.GetBytes(c.Protocol);
        var msg = new byte[12 + label.Length + protocol.Length];
        msg[0] = DcepOpen;
        msg[1] = 0x00;   // DATA_CHANNEL_RELIABLE (ordered)
        BinaryPrimitives.WriteUInt16BigEndian(msg.AsSpan(8), (ushort)label.Length);
        BinaryPrimitives.WriteUInt16BigEndian(msg.AsSpan(10), (ushort)protocol.Length);
        label.CopyTo(msg, 12);
        protocol.CopyTo(msg, 12 + label.Length);
        association.Send(c.StreamId, Ppid.Dcep, msg);
    }

    private void OnAssociationState(bool up)
    {
        List<DataChannel> toOpen;
        lock (gate)
        {
            if (!up)
            {
                foreach (var c in channels.Values)
                {
                    c.OnClosed();
                }

                return;
            }

            toOpen = [.. pendingOpen];
            pendingOpen.Clear();
        }

        foreach (var c in toOpen)
        {
            SendOpen(c);
        }
    }

    private void OnStreamReset(ushort sid)
    {
        DataChannel? c;
        lock (gate)
        {
            if (channels.Remove(sid, out c))
            {
                c.OnClosed();
            }
        }
    }

    private void OnMessage(ushort sid, uint ppid, ReadOnlySpan<byte> data)
    {
        if (ppid == Ppid.Dcep)
        {
            OnDcep(sid, data);
            return;
        }

        DataChannel? c;
        lock (gate)
        {
            channels.TryGetValue(sid, out c);
        }

        if (c is null || !c.IsOpen)
        {
            Counters.Inc(ref counters.DataChannelErrors);
            return;
        }

        DataChannelMessageEventArgs m;
        switch (ppid)
        {
            case Ppid.String: m = new DataChannelMessageEventArgs(DecodeUtf8(data), ReadOnlyMemory<byte>.Empty); break;
            case Ppid.StringEmpty: m = new DataChannelMessageEventArgs(string.Empty, ReadOnlyMemory<byte>.Empty); break;
            case Ppid.Binary: m = new DataChannelMessageEventArgs(null, data.ToArray()); break;
            case Ppid.BinaryEmpty: m = new DataChannelMessageEventArgs(null, ReadOnlyMemory<byte>.Empty); break;
            default:
                Counters.Inc(ref counters.DataChannelErrors);
                return;
        }

        Counters.Inc(ref counters.DataChannelMessagesReceived);
        c.OnMessage(m);
    }

    private void OnDcep(ushort sid, ReadOnlySpan<byte> data)
    {
        if (data.Length == 1 && data[0] == DcepAck)
        {
            DataChannel? mine;
            lock (gate)
            {
                channels.TryGetValue(sid, out mine);
            }

            if (mine is null || mine.IsOpen)
            {
                Counters.Inc(ref counters.DataChannelErrors);
                return;
            }

            mine.IsOpen = true;
            ChannelOpened?.Invoke(mine);
            return;
        }

        if (data.Length < 12 || data[0] != DcepOpen)
        {
            Counters.Inc(ref counters.DataChannelErrors);
            return;
        }

        int labelLength = BinaryPrimitives.ReadUInt16BigEndian(data[8..]);
        int protocolLength = BinaryPrimitives.ReadUInt16BigEndian(data[10..]);
        if (12 + labelLength + protocolLength > data.Length)
        {
            Counters.Inc(ref counters.DataChannelErrors);
            return;
        }

        var c = new DataChannel(this, sid, DecodeUtf8(data.Slice(12, labelLength)), DecodeUtf8(data.Slice(12 + labelLength, protocolLength)), open: true);
        lock (gate)
        {
            if (channels.ContainsKey(sid))
            {
                Counters.Inc(ref counters.DataChannelErrors);
                return;
            }

            channels[sid] = c;
        }

        association.Send(sid, Ppid.Dcep, [DcepAck]);
        ChannelOpened?.Invoke(c);
    }

    private static string DecodeUtf8(ReadOnlySpan<byte> b) => Encoding.UTF8.GetString(b);
}
