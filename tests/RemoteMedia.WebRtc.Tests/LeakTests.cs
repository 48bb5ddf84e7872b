using RemoteMedia.WebRtc.Codecs;
using RemoteMedia.WebRtc.Interop;
using RemoteMedia.WebRtc.Srtp;

namespace RemoteMedia.WebRtc.Tests;

[CollectionDefinition("Serial", DisableParallelization = true)]
public sealed class SerialTests
{
}

/// <summary>Counts live native objects, so it runs alone (the counter is process-wide).</summary>
[Collection("Serial")]
public class LeakTests
{
    [Fact]
    public void Native_handles_are_released_on_dispose()
    {
        long before = NativeHandleCounter.Live;
        var enc = new OpusEncoder();
        var dec = new OpusDecoder();
        var srtp = new SrtpContext(SrtpProfile.Aes128CmHmacSha1_80, new byte[30], inbound: true);
        Assert.Equal(before + 3, NativeHandleCounter.Live);
        enc.Dispose();
        dec.Dispose();
        srtp.Dispose();
        Assert.Equal(before, NativeHandleCounter.Live);
    }

    [Fact]
    public void A_connected_peer_releases_every_native_handle_and_its_socket_on_dispose()
    {
        long before = NativeHandleCounter.Live;
        var client = new LoopbackClient();
        var pc = PeerConnection.CreateFromOffer(client.Offer());
        var endpoint = pc.LocalEndPoint;
        client.Connect(pc.LocalDescription);
        LoopbackTests.WaitFor(() => pc.State == PeerConnectionState.Connected, "Connected");
        // server: decoder, encoder, two SRTP sessions; client the same
        Assert.Equal(before + 8, NativeHandleCounter.Live);
        pc.Dispose();
        client.Dispose();
        Assert.Equal(before, NativeHandleCounter.Live);
        Assert.Equal(PeerConnectionState.Closed, pc.State);
        Assert.Throws<ObjectDisposedException>(() => pc.WriteAudioFrame(new short[960]));

        // the port is free again
        using var s = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        s.Bind(endpoint);
    }
}
