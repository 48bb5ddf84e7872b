using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using RemoteMedia.WebRtc.Dtls;
using RemoteMedia.WebRtc.Interop;

namespace RemoteMedia.WebRtc.Sctp;

/// <summary>Payload protocol identifiers of WebRTC data channels (RFC 8831 §8).</summary>
internal static class Ppid
{
    internal const uint Dcep = 50;
    internal const uint String = 51;
    internal const uint Binary = 53;
    internal const uint StringEmpty = 56;
    internal const uint BinaryEmpty = 57;
}

/// <summary>
/// One SCTP association over DTLS (RFC 8261), run by libusrsctp with an AF_CONN address: packets usrsctp wants
/// to send go out through DTLS, and DTLS application data comes in through <see cref="Input"/>.
/// Messages (with stream id and PPID) and association events are reported through the callbacks.
/// </summary>
internal sealed unsafe class SctpAssociation : IDisposable
{
    private static readonly ConcurrentDictionary<nint, SctpAssociation> Live = new();
    private static readonly Lock InitGate = new();
    private static long nextId;
    private static bool initialized;

    private readonly nint id;
    private readonly DatagramSender output;
    private readonly Lock reassemblyGate = new();
    private readonly MemoryStream reassembly = new();
    private nint socket;
    private bool disposed;

    internal SctpAssociation(DatagramSender output, ushort localPort, ushort remotePort)
    {
        EnsureInitialized();
        this.output = output;
        id = (nint)Interlocked.Increment(ref nextId);
        Live[id] = this;
        UsrsctpNative.usrsctp_register_address(id);
        socket = UsrsctpNative.usrsctp_socket(UsrsctpNative.AfConn, UsrsctpNative.SockStream, UsrsctpNative.IpprotoSctp, &OnReceive, 0, 0, id);
        if (socket == 0)
        {
            Dispose();
            throw new WebRtcException(WebRtcError.NativeLibrary, "usrsctp_socket failed");
        }

        try
        {
            Check(UsrsctpNative.usrsctp_set_non_blocking(socket, 1), "set_non_blocking");
            int on = 1;
            Check(UsrsctpNative.usrsctp_setsockopt(socket, UsrsctpNative.IpprotoSctp, UsrsctpNative.SctpNodelay, &on, sizeof(int)), "SCTP_NODELAY");
            var reset = stackalloc uint[2] { 2 /* SCTP_ALL_ASSOC */, 1 /* SCTP_ENABLE_RESET_STREAM_REQ */ };
            Check(UsrsctpNative.usrsctp_setsockopt(socket, UsrsctpNative.IpprotoSctp, UsrsctpNative.SctpEnableStreamReset, reset, 8), "SCTP_ENABLE_STREAM_RESET");
            var init = stackalloc ushort[4] { 1024, 1024, 0, 0 };
            Check(UsrsctpNative.usrsctp_setsockopt(socket, UsrsctpNative.IpprotoSctp, UsrsctpNative.SctpInitmsg, init, 8), "SCTP_INITMSG");
            byte* e = stackalloc byte[8];
            foreach (ushort ev in new[] { UsrsctpNative.SctpAssocChange, UsrsctpNative.SctpStreamResetEvent })
            {
                new Span<byte>(e, 8).Clear();
                *(ushort*)(e + 4) = ev;
                e[6] = 1;
                Check(UsrsctpNative.usrsctp_setsockopt(socket, UsrsctpNative.IpprotoSctp, UsrsctpNative.SctpEvent, e, 8), "SCTP_EVENT");
            }
        }
        catch
        {
            Dispose();
            throw;
        }

        var local = new SockaddrConn { Family = UsrsctpNative.AfConn, Port = BinaryPrimitives.ReverseEndianness(localPort), Address = id };
        if (UsrsctpNative.usrsctp_bind(socket, &local, (uint)sizeof(SockaddrConn)) != 0)
        {
            Dispose();
            throw new WebRtcException(WebRtcError.NativeLibrary, "usrsctp_bind failed");
        }

        // WebRTC: both ends connect (SCTP handles the INIT collision); non-blocking, so this returns at once.
        var remote = new SockaddrConn { Family = UsrsctpNative.AfConn, Port = BinaryPrimitives.ReverseEndianness(remotePort), Address = id };
        _ = UsrsctpNative.usrsctp_connect(socket, &remote, (uint)sizeof(SockaddrConn));   // -1/EINPROGRESS is the normal answer
    }

    /// <summary>A complete message: stream id, PPID, payload (valid during the call).</summary>
    internal Action<ushort, uint, ReadOnlySpan<byte>>? MessageReceived { get; set; }

    /// <summary>The association came up (true) or went down (false).</summary>
    internal Action<bool>? StateChanged { get; set; }

    /// <summary>The peer reset (closed) these incoming streams.</summary>
    internal Action<ushort>? StreamReset { get; set; }

    internal bool IsUp { get; private set; }

    internal static bool IsAvailable
    {
        get
        {
            try
            {
                return NativeLibrary.TryLoad(UsrsctpNative.Library, out _);
            }
            catch (BadImageFormatException)
            {
                return false;
            }
        }
    }

    /// <summary>Feeds one DTLS application-data record (an SCTP packet) to usrsctp.</summary>
    internal void Input(ReadOnlySpan<byte> packet)
    {
        if (Volatile.Read(ref disposed))
        {
            return;
        }

        fixed (byte* p = packet)
        {
            UsrsctpNative.usrsctp_conninput(id, p, (nuint)packet.Length, 0);
        }
    }

    /// <summary>Sends one message, ordered and reliable. Returns false when usrsctp refuses it (buffer full, association down).</summary>
    internal bool Send(ushort streamId, uint ppid, ReadOnlySpan<byte> data)
    {
        if (Volatile.Read(ref disposed))
        {
            return false;
        }

        var info = new SctpSndInfo { Sid = streamId, Ppid = BinaryPrimitives.ReverseEndianness(ppid) };
        ReadOnlySpan<byte> payload = data.IsEmpty ? [0] : data;   // empty messages travel as one byte with an "empty" PPID
        fixed (byte* p = payload)
        {
            nint n = UsrsctpNative.usrsctp_sendv(socket, p, (nuint)payload.Length, 0, 0, &info, (uint)sizeof(SctpSndInfo), UsrsctpNative.SendvSndinfo, 0);
            return n == payload.Length;
        }
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        Volatile.Write(ref disposed, true);
        if (socket != 0)
        {
            UsrsctpNative.usrsctp_close(socket);
            socket = 0;
        }

        UsrsctpNative.usrsctp_deregister_address(id);
        Live.TryRemove(id, out _);
        reassembly.Dispose();
    }

    private static void Check(int rc, string what)
    {
        if (rc != 0)
        {
            throw new WebRtcException(WebRtcError.NativeLibrary, $"usrsctp {what} failed ({rc})");
        }
    }

    private static void EnsureInitialized()
    {
        lock (InitGate)
        {
            if (initialized)
            {
                return;
            }

            UsrsctpNative.usrsctp_init_nothreads(0, &OnOutput, 0);
            _ = UsrsctpNative.usrsctp_sysctl_set_sctp_ecn_enable(0);
            var timers = new Thread(() =>
            {
                while (true)
                {
                    Thread.Sleep(10);
                    UsrsctpNative.usrsctp_handle_timers(10);
                }
            }) { IsBackground = true, Name = "RemoteMedia.WebRtc usrsctp timers" };
            timers.Start();
            initialized = true;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnOutput(nint address, byte* buffer, nuint length, byte tos, byte setDf)
    {
        try
        {
            if (Live.TryGetValue(address, out var a) && !Volatile.Read(ref a.disposed))
            {
                a.output(new ReadOnlySpan<byte>(buffer, (int)length));
            }
        }
#pragma warning disable CA1031 // nothing may unwind into native code
        catch (Exception)
#pragma warning restore CA1031
        {
            // A failed send is a lost packet; SCTP retransmits.
        }

        return 0;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnReceive(nint sock, SctpSockstore addr, byte* data, nuint length, SctpRcvInfo info, int flags, nint ulpInfo)
    {
        try
        {
            if (data == null)
            {
                return 1;
            }

            if (Live.TryGetValue(ulpInfo, out var a) && !Volatile.Read(ref a.disposed))
            {
                var span = new ReadOnlySpan<byte>(data, (int)length);
                if ((flags & UsrsctpNative.MsgNotification) != 0)
                {
                    a.OnNotification(span);
                }
                else
                {
                    a.OnData(span, info.Sid, BinaryPrimitives.ReverseEndianness(info.Ppid), (flags & UsrsctpNative.MsgEor) != 0);
                }
            }
        }
#pragma warning disable CA1031 // nothing may unwind into native code
        catch (Exception)
#pragma warning restore CA1031
        {
            // A handler threw: drop the message rather than crash the process.
        }
        finally
        {
            NativeMemory.Free(data);   // the callback owns the buffer (usrsctp allocated it with malloc)
        }

        return 1;
    }

    private void OnData(ReadOnlySpan<byte> data, ushort sid, uint ppid, bool endOfRecord)
    {
        lock (reassemblyGate)
        {
            if (!endOfRecord || reassembly.Length > 0)
            {
                reassembly.Write(data);
                if (!endOfRecord)
                {
                    return;
                }

                var whole = reassembly.GetBuffer().AsSpan(0, (int)reassembly.Length);
                MessageReceived?.Invoke(sid, ppid, whole);
                reassembly.SetLength(0);
                return;
            }
        }

        MessageReceived?.Invoke(sid, ppid, data);
    }

    private void OnNotification(ReadOnlySpan<byte> n)
    {
        if (n.Length < 8)
        {
            return;
        }

        ushort type = MemoryMarshal.Read<ushort>(n);
        if (type == UsrsctpNative.SctpAssocChange && n.Length >= 10)
        {
            ushort state = MemoryMarshal.Read<ushort>(n[8..]);
            if (state == UsrsctpNative.SctpCommUp)
            {
                IsUp = true;
                StateChanged?.Invoke(true);
            }
            else if (state is UsrsctpNative.SctpCommLost or UsrsctpNative.SctpShutdownComp or UsrsctpNative.SctpCantStrAssoc)
            {
                IsUp = false;
                StateChanged?.Invoke(false);
            }
        }
        else if (type == UsrsctpNative.SctpStreamResetEvent && n.Length >= 12)
        {
            ushort flagsField = MemoryMarshal.Read<ushort>(n[2..]);
            if ((flagsField & 0x0001) != 0)   // SCTP_STREAM_RESET_INCOMING_SSN
            {
                for (int p = 12; p + 2 <= n.Length; p += 2)
                {
                    StreamReset?.Invoke(MemoryMarshal.Read<ushort>(n[p..]));
                }
            }
        }
    }
}
