using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace RemoteMedia.WebRtc.Ice;

/// <summary>Why a STUN datagram was or was not answered.</summary>
internal enum StunVerdict
{
    Answered,
    Malformed,
    NotARequest,
    BadUsername,
    BadIntegrity,
    BadFingerprint,
}

/// <summary>
/// The ICE-lite side (RFC 8445 §2.5): answers authenticated Binding requests, remembers which remote
/// addresses passed a check, and tracks consent freshness. Never sends checks of its own.
/// </summary>
internal sealed class IceLiteAgent
{
    private const int MaxValidated = 8;
    private readonly byte[] expectedUsername;
    private readonly byte[] localPasswordBytes;
    private readonly SocketAddress[] validated = new SocketAddress[MaxValidated];
    private int validatedCount;
    private long lastConsentTicks;

    internal IceLiteAgent(string localUfrag, string localPassword, string remoteUfrag)
    {
        LocalUfrag = localUfrag;
        LocalPassword = localPassword;
        RemoteUfrag = remoteUfrag;
        expectedUsername = Encoding.UTF8.GetBytes(localUfrag + ":" + remoteUfrag);
        localPasswordBytes = Encoding.UTF8.GetBytes(localPassword);
    }

    internal string LocalUfrag { get; }

    internal string LocalPassword { get; }

    internal string RemoteUfrag { get; }

    /// <summary>The remote address media goes to: the latest nominated (or first validated) one.</summary>
    internal SocketAddress? SelectedRemote { get; private set; }

    /// <summary><see cref="Environment.TickCount64"/> of the last authenticated check; 0 before the first.</summary>
    internal long LastConsentTicks => Interlocked.Read(ref lastConsentTicks);

    internal static string NewUfrag() => RandomString(8);

    internal static string NewPassword() => RandomString(24);

    /// <summary>Handles one STUN datagram from <paramref name="from"/>; on <see cref="StunVerdict.Answered"/> the response is in <paramref name="response"/>.</summary>
    internal StunVerdict Process(ReadOnlySpan<byte> message, SocketAddress from, Span<byte> response, out int responseLength)
    {
        responseLength = 0;
        if (!StunMessage.IsStun(message))
        {
            return StunVerdict.Malformed;
        }

        if (StunMessage.MessageType(message) != StunMessage.BindingRequest)
        {
            return StunVerdict.NotARequest;
        }

        if (StunMessage.FindAttribute(message, StunMessage.AttrUsername, out var user) < 0 || !user.SequenceEqual(expectedUsername))
        {
            return StunVerdict.BadUsername;
        }

        if (!StunMessage.VerifyFingerprintIfPresent(message))
        {
            return StunVerdict.BadFingerprint;
        }

        if (!StunMessage.VerifyMessageIntegrity(message, localPasswordBytes))
        {
            return StunVerdict.BadIntegrity;
        }

        bool nominated = StunMessage.FindAttribute(message, StunMessage.AttrUseCandidate, out _) >= 0;
        var known = Remember(from);
        if (SelectedRemote is null || nominated)
        {
            SelectedRemote = known;
        }

        Interlocked.Exchange(ref lastConsentTicks, Environment.TickCount64);
        responseLength = StunMessage.WriteBindingSuccess(response, message.Slice(8, 12), from, localPasswordBytes);
        return StunVerdict.Answered;
    }

    /// <summary>True when <paramref name="from"/> has passed a connectivity check.</summary>
    internal bool IsValidated(SocketAddress from)
    {
        for (int i = 0; i < validatedCount; i++)
        {
            if (validated[i].Equals(from))
            {
                return true;
            }
        }

        return false;
    }

    private SocketAddress Remember(SocketAddress from)
    {
        for (int i = 0; i < validatedCount; i++)
        {
            if (validated[i].Equals(from))
            {
                return validated[i];
            }
        }

        var copy = new SocketAddress(from.Family, from.Size);
        from.Buffer.Span[..from.Size].CopyTo(copy.Buffer.Span);
        if (validatedCount < MaxValidated)
        {
            validated[validatedCount++] = copy;
        }
        else
        {
            validated[MaxValidated - 1] = copy;
        }

        return copy;
    }

    private static string RandomString(int length)
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/";
        return RandomNumberGenerator.GetString(Alphabet, length);
    }
}
