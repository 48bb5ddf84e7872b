using System.Net;
using RemoteMedia.WebRtc.Ice;
using RemoteMedia.WebRtc.Rtp;
using RemoteMedia.WebRtc.Srtp;

namespace RemoteMedia.WebRtc.Tests;

public class HotPathTests
{
    [Fact]
    public void Send_and_receive_paths_do_not_allocate_per_frame()
    {
        var key = new byte[30];
        key[3] = 9;
        var counters = new Counters();
        using var tx = new SrtpContext(SrtpProfile.Aes128CmHmacSha1_80, key, inbound: false);
        using var rxCtx = new SrtpContext(SrtpProfile.Aes128CmHmacSha1_80, key, inbound: true);
        using var send = new AudioSendPipeline(tx, new RtpPacketizer(111, 5, 0, 0));
        using var recv = new AudioReceivePipeline(rxCtx, 111, 3, 10, counters);
        long frames = 0;
        recv.Handler = _ => frames++;
        var pcm = OpusTests.Chirp(960 * 200);
        var packet = new byte[AudioSendPipeline.MaxPacket];

        void Run(int from, int count)
        {
            for (int f = from; f < from + count; f++)
            {
                int n = send.Build(pcm.AsSpan(f * 960, 960), packet);
                recv.OnSrtp(packet, n);
            }
        }

        Run(0, 50);   // warm up (JIT, lazy statics)
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(50, 150);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(200, frames);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Stun_answer_path_does_not_allocate()
    {
        var agent = new IceLiteAgent("evtj", "VOkJxbRl1RmTxUk/WvJxBt", "h6vY");
        var from = new IPEndPoint(IPAddress.Loopback, 40000).Serialize();
        var response = new byte[256];
        agent.Process(StunTests.Rfc5769Request, from, response, out _);
        int answered = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            answered += agent.Process(StunTests.Rfc5769Request, from, response, out _) == StunVerdict.Answered ? 1 : 0;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(100, answered);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Srtp_that_overtakes_the_handshake_is_held_briefly_then_counted()
    {
        using var client = new LoopbackClient();
        using var pc = PeerConnection.CreateFromOffer(client.Offer());
        var answer = Sdp.SessionDescription.Parse(pc.LocalDescription).Media[0];
        var buf = new byte[256];
        int n = StunMessage.WriteBindingRequest(buf, new byte[12], $"{answer.IceUfrag}:{client.Offer().Split("a=ice-ufrag:")[1].Split('\r')[0]}", System.Text.Encoding.UTF8.GetBytes(answer.IcePassword!), true, 1);
        var from = new IPEndPoint(IPAddress.Loopback, 40001).Serialize();
        pc.Dispatch(buf.AsSpan(0, n), from);
        Assert.Equal(1, pc.GetStats().StunAnswered);
        Assert.Equal(PeerConnectionState.Connecting, pc.State);
        var fake = new byte[100];
        fake[0] = 0x80;
        fake[1] = 111;
        for (int i = 0; i < 20; i++)
        {
            pc.Dispatch(fake, from);
        }

        Assert.Equal(4, pc.GetStats().SrtpOtherFailures);   // 16 held for when the keys arrive, the rest dropped
    }
}
