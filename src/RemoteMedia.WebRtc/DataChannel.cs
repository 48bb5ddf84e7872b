using System.Text;
using RemoteMedia.WebRtc.Sctp;

namespace RemoteMedia.WebRtc;

/// <summary>One message received on a <see cref="DataChannel"/>.</summary>
public sealed class DataChannelMessageEventArgs : EventArgs
{
    internal DataChannelMessageEventArgs(string? text, ReadOnlyMemory<byte> data)
    {
        Text = text;
        Data = data;
    }

    /// <summary>True for a string message (<see cref="Text"/>), false for binary (<see cref="Data"/>).</summary>
    public bool IsText => Text is not null;

    public string? Text { get; }

    public ReadOnlyMemory<byte> Data { get; }
}

/// <summary>A WebRTC data channel (RFC 8831): ordered, reliable, string and binary messages.</summary>
public sealed class DataChannel
{
    private readonly DataChannelManager owner;

    internal DataChannel(DataChannelManager owner, ushort streamId, string label, string protocol, bool open)
    {
        this.owner = owner;
        StreamId = streamId;
        Label = label;
        Protocol = protocol;
        IsOpen = open;
    }

    /// <summary>Raised on a transport thread for each message; keep handlers short.</summary>
    public event EventHandler<DataChannelMessageEventArgs>? MessageReceived;

    /// <summary>Raised when the remote end closed the channel (stream reset) or the association went down.</summary>
    public event EventHandler? Closed;

    public string Label { get; }

    public string Protocol { get; }

    /// <summary>The SCTP stream id (even when the DTLS client opened it, odd when we did).</summary>
    public ushort StreamId { get; }

    public bool IsOpen { get; internal set; }

    /// <summary>Sends a string message; false when the channel is not open or the transport refused it.</summary>
    public bool Send(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return IsOpen && owner.Send(StreamId, text.Length == 0 ? Ppid.StringEmpty : Ppid.String, Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Sends a binary message; false when the channel is not open or the transport refused it.</summary>
    public bool Send(ReadOnlySpan<byte> data) =>
        IsOpen && owner.Send(StreamId, data.IsEmpty ? Ppid.BinaryEmpty : Ppid.Binary, data);

    internal void OnMessage(DataChannelMessageEventArgs m) => MessageReceived?.Invoke(this, m);

    internal void OnClosed()
    {
        if (IsOpen)
        {
            IsOpen = false;
            Closed?.Invoke(this, EventArgs.Empty);
        }
    }
}
