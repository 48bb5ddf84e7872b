using System.Runtime.InteropServices;

namespace RemoteMedia.WebRtc.Interop;

/// <summary>struct sockaddr_conn (Linux layout): usrsctp's address for a user-supplied transport.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SockaddrConn
{
    public ushort Family;
    public ushort Port;   // network byte order
    public nint Address;
}

/// <summary>union sctp_sockstore, passed by value to the receive callback (32 bytes, 8-aligned).</summary>
[StructLayout(LayoutKind.Sequential, Size = 32)]
internal struct SctpSockstore
{
    public long A;
    public long B;
    public long C;
    public long D;
}

/// <summary>struct sctp_rcvinfo.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SctpRcvInfo
{
    public ushort Sid;
    public ushort Ssn;
    public ushort Flags;
    public uint Ppid;     // network byte order
    public uint Tsn;
    public uint CumTsn;
    public uint Context;
    public uint AssocId;
}

/// <summary>struct sctp_sndinfo.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SctpSndInfo
{
    public ushort Sid;
    public ushort Flags;
    public uint Ppid;     // network byte order
    public uint Context;
    public uint AssocId;
}

/// <summary>Raw libusrsctp entry points (Debian package libusrsctp2).</summary>
internal static unsafe partial class UsrsctpNative
{
    internal const string Library = "libusrsctp.so.2";
    internal const int AfConn = 123;
    internal const int SockStream = 1;
    internal const int IpprotoSctp = 132;
    internal const int SendvSndinfo = 1;
    internal const int MsgNotification = 0x2000;
    internal const int MsgEor = 0x80;   // Linux MSG_EOR, as usrsctp reports it in the receive callback flags
    internal const int SctpInitmsg = 0x03;
    internal const int SctpNodelay = 0x04;
    internal const int SctpEvent = 0x1e;
    internal const int SctpEnableStreamReset = 0x900;
    internal const int SctpResetStreams = 0x901;
    internal const ushort SctpAssocChange = 0x0001;
    internal const ushort SctpStreamResetEvent = 0x0009;
    internal const ushort SctpCommUp = 0x0001;
    internal const ushort SctpCommLost = 0x0002;
    internal const ushort SctpShutdownComp = 0x0004;
    internal const ushort SctpCantStrAssoc = 0x0005;

    internal static readonly string[] ExportNames =
    [
        "usrsctp_init_nothreads", "usrsctp_handle_timers", "usrsctp_socket", "usrsctp_setsockopt", "usrsctp_bind",
        "usrsctp_connect", "usrsctp_sendv", "usrsctp_close", "usrsctp_conninput", "usrsctp_set_non_blocking",
        "usrsctp_register_address", "usrsctp_deregister_address", "usrsctp_sysctl_set_sctp_ecn_enable",
    ];

    // void usrsctp_init_nothreads(uint16_t port, int (*conn_output)(void*, void*, size_t, uint8_t, uint8_t), void (*debug_printf)(const char*, ...));
    [LibraryImport(Library, EntryPoint = "usrsctp_init_nothreads")]
    internal static partial void usrsctp_init_nothreads(ushort port, delegate* unmanaged[Cdecl]<nint, byte*, nuint, byte, byte, int> connOutput, nint debugPrintf);

    // void usrsctp_handle_timers(uint32_t elapsed_milliseconds);
    [LibraryImport(Library, EntryPoint = "usrsctp_handle_timers")]
    internal static partial void usrsctp_handle_timers(uint elapsedMilliseconds);

    // struct socket *usrsctp_socket(int domain, int type, int protocol, receive_cb, send_cb, uint32_t sb_threshold, void *ulp_info);
    [LibraryImport(Library, EntryPoint = "usrsctp_socket")]
    internal static partial nint usrsctp_socket(
        int domain, int type, int protocol,
        delegate* unmanaged[Cdecl]<nint, SctpSockstore, byte*, nuint, SctpRcvInfo, int, nint, int> receive,
        nint send, uint sbThreshold, nint ulpInfo);

    // int usrsctp_setsockopt(struct socket *so, int level, int option_name, const void *option_value, socklen_t option_len);
    [LibraryImport(Library, EntryPoint = "usrsctp_setsockopt")]
    internal static partial int usrsctp_setsockopt(nint so, int level, int optionName, void* optionValue, uint optionLength);

    // int usrsctp_bind(struct socket *so, struct sockaddr *name, socklen_t namelen);
    [LibraryImport(Library, EntryPoint = "usrsctp_bind")]
    internal static partial int usrsctp_bind(nint so, SockaddrConn* name, uint nameLength);

    // int usrsctp_connect(struct socket *so, struct sockaddr *name, socklen_t namelen);
    [LibraryImport(Library, EntryPoint = "usrsctp_connect")]
    internal static partial int usrsctp_connect(nint so, SockaddrConn* name, uint nameLength);

    // ssize_t usrsctp_sendv(struct socket *so, const void *data, size_t len, struct sockaddr *to, int addrcnt, void *info, socklen_t infolen, unsigned int infotype, int flags);
    [LibraryImport(Library, EntryPoint = "usrsctp_sendv", SetLastError = true)]
    internal static partial nint usrsctp_sendv(nint so, byte* data, nuint length, nint to, int addrCount, SctpSndInfo* info, uint infoLength, uint infoType, int flags);

    // void usrsctp_close(struct socket *so);
    [LibraryImport(Library, EntryPoint = "usrsctp_close")]
    internal static partial void usrsctp_close(nint so);

    // void usrsctp_conninput(void *addr, const void *buffer, size_t length, uint8_t ecn_bits);
    [LibraryImport(Library, EntryPoint = "usrsctp_conninput")]
    internal static partial void usrsctp_conninput(nint address, byte* buffer, nuint length, byte ecnBits);

    // int usrsctp_set_non_blocking(struct socket *so, int onoff);
    [LibraryImport(Library, EntryPoint = "usrsctp_set_non_blocking")]
    internal static partial int usrsctp_set_non_blocking(nint so, int on);

    // void usrsctp_register_address(void *addr);
    [LibraryImport(Library, EntryPoint = "usrsctp_register_address")]
    internal static partial void usrsctp_register_address(nint address);

    // void usrsctp_deregister_address(void *addr);
    [LibraryImport(Library, EntryPoint = "usrsctp_deregister_address")]
    internal static partial void usrsctp_deregister_address(nint address);

    // int usrsctp_sysctl_set_sctp_ecn_enable(uint32_t value);
    [LibraryImport(Library, EntryPoint = "usrsctp_sysctl_set_sctp_ecn_enable")]
    internal static partial int usrsctp_sysctl_set_sctp_ecn_enable(uint value);
}
