using System.Collections.Concurrent;
using RemoteMedia.WebRtc.Sctp;

namespace RemoteMedia.WebRtc.Tests;

public class DataChannelTests
{
    [Fact]
    public void Channels_open_both_ways_and_echo_text_and_binary()
    {
        using var client = new LoopbackClient();
        using var pc = PeerConnection.CreateFromOffer(client.Offer(dataChannel: true));
        Assert.True(pc.DataChannelsNegotiated);
        Assert.Contains("m=application " + pc.LocalEndPoint.Port + " UDP/DTLS/SCTP webrtc-datachannel", pc.LocalDescription, StringComparison.Ordinal);
        Assert.Contains("a=group:BUNDLE 0 1", pc.LocalDescription, StringComparison.Ordinal);

        var serverOpened = new ConcurrentQueue<DataChannel>();
        pc.DataChannelOpened += (_, c) =>
        {
            serverOpened.Enqueue(c);
            c.MessageReceived += (_, m) =>
            {
                if (m.IsText)
                {
                    c.Send("echo:" + m.Text);
                }
                else
                {
                    c.Send(m.Data.Span.ToArray().Reverse().ToArray());
                }
            };
        };
        client.Connect(pc.LocalDescription);
        LoopbackTests.WaitFor(() => pc.State == PeerConnectionState.Connected, "Connected");

        var clientOpened = new ConcurrentQueue<DataChannel>();
        client.DataChannels!.ChannelOpened = clientOpened.Enqueue;
        var chat = client.DataChannels.Create("chat", string.Empty);
        var replies = new ConcurrentQueue<DataChannelMessageEventArgs>();
        chat.MessageReceived += (_, m) => replies.Enqueue(m);
        LoopbackTests.WaitFor(() => chat.IsOpen && !serverOpened.IsEmpty, "the client's channel to open");
        Assert.True(serverOpened.TryPeek(out var serverSide));
        Assert.Equal("chat", serverSide!.Label);
        Assert.Equal(0, serverSide.StreamId % 2);   // opened by the DTLS client: even id

        Assert.True(chat.Send("hello"));
        Assert.True(chat.Send(new byte[] { 1, 2, 3 }));
        Assert.True(chat.Send(string.Empty));
        LoopbackTests.WaitFor(() => replies.Count >= 3, "three echoes");
        var r = replies.ToArray();
        Assert.Equal("echo:hello", r[0].Text);
        Assert.Equal(new byte[] { 3, 2, 1 }, r[1].Data.ToArray());
        Assert.Equal("echo:", r[2].Text);

        // a channel the server opens
        var mine = pc.CreateDataChannel("from-server");
        Assert.Equal(1, mine.StreamId % 2);
        LoopbackTests.WaitFor(() => mine.IsOpen && clientOpened.Any(c => c.Label == "from-server"), "the server's channel to open");
        var got = new ConcurrentQueue<string>();
        clientOpened.First(c => c.Label == "from-server").MessageReceived += (_, m) => got.Enqueue(m.Text!);
        Assert.True(mine.Send("server says hi"));
        LoopbackTests.WaitFor(() => !got.IsEmpty, "the server's message");
        Assert.Equal("server says hi", got.Single());

        var s = pc.GetStats();
        Assert.Equal(3, s.DataChannelMessagesReceived);
        Assert.Equal(4, s.DataChannelMessagesSent);
        Assert.Equal(0, s.DataChannelErrors);
    }

    [Fact]
    public void Malformed_dcep_and_messages_on_unknown_streams_are_counted()
    {
        using var client = new LoopbackClient();
        using var pc = PeerConnection.CreateFromOffer(client.Offer(dataChannel: true));
        client.Connect(pc.LocalDescription);
        LoopbackTests.WaitFor(() => pc.State == PeerConnectionState.Connected, "Connected");
        var chat = client.DataChannels!.Create("chat", string.Empty);
        LoopbackTests.WaitFor(() => chat.IsOpen, "open");
        client.DataChannels.Send(2, Ppid.Dcep, new byte[] { 0x03, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0 });  // label longer than the message
        client.DataChannels.Send(4, Ppid.String, "nobody opened stream 4"u8);
        client.DataChannels.Send(chat.StreamId, 99, "unknown ppid"u8);
        LoopbackTests.WaitFor(() => pc.GetStats().DataChannelErrors >= 3, "errors to be counted");
        Assert.True(chat.Send("still fine"));
        Assert.Equal(PeerConnectionState.Connected, pc.State);
    }

    [Fact]
    public void Without_a_data_section_create_fails_clearly()
    {
        using var client = new LoopbackClient();
        using var pc = PeerConnection.CreateFromOffer(client.Offer());
        Assert.False(pc.DataChannelsNegotiated);
        var e = Assert.Throws<WebRtcException>(() => pc.CreateDataChannel("x"));
        Assert.Equal(WebRtcError.InvalidState, e.Error);
    }
}
