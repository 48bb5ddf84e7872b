using System.Collections.Concurrent;

namespace RemoteMedia.WebRtc.Tests;

public class FuzzTests
{
    [Fact]
    public void Thousands_of_random_datagrams_from_the_peer_address_do_not_break_the_session()
    {
        using var client = new LoopbackClient();
        using var pc = PeerConnection.CreateFromOffer(client.Offer(dataChannel: true));
        var got = new ConcurrentQueue<int>();
        pc.AudioFrameReceived += f => got.Enqueue(f.Length);
        var echoes = new ConcurrentQueue<string>();
        pc.DataChannelOpened += (_, c) => c.MessageReceived += (_, m) => c.Send("echo:" + m.Text);
        client.Connect(pc.LocalDescription);
        LoopbackTests.WaitFor(() => pc.State == PeerConnectionState.Connected, "Connected");

        // 4096 datagrams: every first byte 16 times, random length and content (bounded, loopback only).
        var rng = new Random(20261124);
        for (int i = 0; i < 4096; i++)
        {
            var d = new byte[rng.Next(1, 1200)];
            rng.NextBytes(d);
            d[0] = (byte)(i % 256);
            if (i % 7 == 0 && d.Length > 20)
            {
                // Plausible STUN headers (magic cookie, consistent length) with random attributes.
                d[0] = 0;
                d[1] = 1;
                d[2] = (byte)((d.Length - 20) >> 8);
                d[3] = (byte)(d.Length - 20);
                d[4] = 0x21;
                d[5] = 0x12;
                d[6] = 0xA4;
                d[7] = 0x42;
            }

            client.SendRaw(d);
            if (i % 256 == 255)
            {
                Thread.Sleep(5);   // let the receive thread keep up; loopback buffers are finite
            }
        }

        // Still connected, audio still decodes, and the data channel still answers.
        var chat = client.DataChannels!.Create("chat", string.Empty);
        chat.MessageReceived += (_, m) => echoes.Enqueue(m.Text!);
        LoopbackTests.WaitFor(() => chat.IsOpen, "the channel to open after the fuzz");
        chat.Send("still there?");
        client.SendSignal(OpusTests.Chirp(960 * 10), paced: false);
        LoopbackTests.WaitFor(() => got.Count >= 8 && !echoes.IsEmpty, "audio and an echo after the fuzz");
        Assert.Equal("echo:still there?", echoes.Single());
        Assert.Equal(PeerConnectionState.Connected, pc.State);
        var s = pc.GetStats();
        Assert.True(s.UnknownDatagrams + s.StunIgnored + s.StunBadUsername + s.SrtpAuthFailures + s.SrtpOtherFailures + s.RtpMalformed + s.DtlsRecords > 1000, s.ToString());
    }
}
