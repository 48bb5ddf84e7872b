using System.Net;
using RemoteMedia.WebRtc.Sdp;

namespace RemoteMedia.WebRtc.Tests;

public class SdpTests
{
    internal static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    [Fact]
    public void Parses_a_real_chromium_offer_with_audio_video_and_data()
    {
        var d = SessionDescription.Parse(Fixture("chromium-offer.sdp"));
        Assert.Equal(["audio", "video", "application"], d.Media.Select(m => m.Kind));
        Assert.Equal(["0", "1", "2"], d.BundleMids);
        var audio = d.Media[0];
        Assert.Equal(111, audio.Opus!.PayloadType);
        Assert.Equal(2, audio.Opus.Channels);
        Assert.True(audio.RtcpMux);
        Assert.Equal("actpass", audio.Setup);
        Assert.Equal("sha-256", audio.FingerprintAlgorithm);
        Assert.Equal(95, audio.Fingerprint!.Length);
        Assert.Equal("yr67", audio.IceUfrag);
        Assert.Contains(audio.Candidates, c => c.Address == "127.0.0.1" && c.Transport == "udp" && c.Type == "host");
        Assert.Contains("useinbandfec=1", audio.Fmtp[111], StringComparison.Ordinal);
        Assert.True(d.Media[2].IsDataChannel);
        Assert.Equal(5000, d.Media[2].SctpPort);
    }

    [Fact]
    public void Parses_a_real_aiortc_offer_with_per_section_credentials()
    {
        var d = SessionDescription.Parse(Fixture("aiortc-offer.sdp"));
        Assert.Equal(2, d.Media.Count);
        Assert.Equal(96, d.Media[0].Opus!.PayloadType);
        Assert.Equal("EAu5", d.Media[0].IceUfrag);
        Assert.Equal("epT0", d.Media[1].IceUfrag);
        Assert.True(d.Media[1].IsDataChannel);
        Assert.Equal(5000, d.Media[1].SctpPort);
        Assert.True(d.Media[0].EndOfCandidates);
    }

    [Fact]
    public void Answers_chromium_with_ice_lite_passive_opus_and_rejected_video()
    {
        var offer = SessionDescription.Parse(Fixture("chromium-offer.sdp"));
        var plan = AnswerBuilder.Plan(offer, acceptDataChannel: false);
        Assert.Equal(111, plan.OpusPayloadType);
        Assert.Equal("yr67", plan.RemoteUfrag);
        var local = new IPEndPoint(IPAddress.Loopback, 50000);
        string sdp = AnswerBuilder.Write(offer, plan, "ufrg", "pwdpwdpwdpwdpwdpwdpwdpwd", "AB:CD", local, 1234, "cn", 1);
        var answer = SessionDescription.Parse(sdp);
        Assert.True(answer.IceLite);
        Assert.Equal(["0"], answer.BundleMids);
        Assert.Equal(3, answer.Media.Count);
        var a = answer.Media[0];
        Assert.Equal(50000, a.Port);
        Assert.Equal(["111"], a.Formats);
        Assert.Equal("passive", a.Setup);
        Assert.Equal("sendrecv", a.Direction);
        Assert.True(a.RtcpMux);
        Assert.Equal("ufrg", a.IceUfrag);
        Assert.Equal("AB:CD", a.Fingerprint);
        Assert.Equal("0", a.Mid);
        Assert.True(a.EndOfCandidates);
        var cand = Assert.Single(a.Candidates);
        Assert.Equal(("127.0.0.1", 50000), (cand.Address, cand.Port));
        Assert.Equal(0, answer.Media[1].Port);
        Assert.Equal("1", answer.Media[1].Mid);
        Assert.Equal("video", answer.Media[1].Kind);
        Assert.Equal(0, answer.Media[2].Port);
        Assert.Equal("2", answer.Media[2].Mid);
    }

    [Fact]
    public void Answers_aiortc_with_its_payload_type_and_first_section_credentials()
    {
        var offer = SessionDescription.Parse(Fixture("aiortc-offer.sdp"));
        var plan = AnswerBuilder.Plan(offer, acceptDataChannel: false);
        Assert.Equal(96, plan.OpusPayloadType);
        Assert.Equal("EAu5", plan.RemoteUfrag);
        string sdp = AnswerBuilder.Write(offer, plan, "u", "p", "AB", new IPEndPoint(IPAddress.Loopback, 1), 1, "c", 1);
        Assert.Contains("m=audio 1 UDP/TLS/RTP/SAVPF 96\r\n", sdp, StringComparison.Ordinal);
        Assert.Contains("a=rtpmap:96 opus/48000/2\r\n", sdp, StringComparison.Ordinal);
        Assert.Contains("m=application 0 DTLS/SCTP 5000\r\n", sdp, StringComparison.Ordinal);

        // with data channels accepted: the old-style sctpmap section is mirrored and bundled
        var withData = AnswerBuilder.Plan(offer, acceptDataChannel: true);
        string sdp2 = AnswerBuilder.Write(offer, withData, "u", "p", "AB", new IPEndPoint(IPAddress.Loopback, 1), 1, "c", 1);
        Assert.Contains("m=application 1 DTLS/SCTP 5000\r\n", sdp2, StringComparison.Ordinal);
        Assert.Contains("a=sctpmap:5000 webrtc-datachannel 65535\r\n", sdp2, StringComparison.Ordinal);
        Assert.Contains("a=group:BUNDLE 0 1\r\n", sdp2, StringComparison.Ordinal);
    }

    [Fact]
    public void Answer_lists_one_host_candidate_per_configured_address()
    {
        var offer = SessionDescription.Parse(Fixture("chromium-offer.sdp"));
        var plan = AnswerBuilder.Plan(offer, false);
        IPAddress[] addrs = [IPAddress.Parse("127.0.0.1"), IPAddress.Parse("127.0.0.2")];
        var answer = SessionDescription.Parse(AnswerBuilder.Write(offer, plan, "u", "p", "AB", new IPEndPoint(IPAddress.Any, 4000), 1, "c", 1, addrs));
        var c = answer.Media[0].Candidates;
        Assert.Equal(["127.0.0.1", "127.0.0.2"], c.Select(x => x.Address));
        Assert.All(c, x => Assert.Equal(4000, x.Port));
        Assert.True(c[0].Priority > c[1].Priority);
        Assert.Throws<ArgumentException>(() => PeerConnection.CreateFromOffer(Fixture("chromium-offer.sdp"), new PeerConnectionOptions { BindAddress = IPAddress.Any }));
    }

    [Fact]
    public void Offer_with_trickled_candidates_only_is_accepted()
    {
        var text = string.Join("\r\n", Fixture("chromium-offer.sdp").Split("\r\n").Where(l => !l.StartsWith("a=candidate", StringComparison.Ordinal)));
        var plan = AnswerBuilder.Plan(SessionDescription.Parse(text), false);
        Assert.Equal(111, plan.OpusPayloadType);
    }

    [Fact]
    public void Sendonly_offer_gets_recvonly_answer()
    {
        var text = Fixture("chromium-offer.sdp").Replace("a=sendrecv", "a=sendonly", StringComparison.Ordinal);
        Assert.Equal("recvonly", AnswerBuilder.Plan(SessionDescription.Parse(text), false).AudioDirection);
    }

    public static TheoryData<string> MalformedOffers => new()
    {
        string.Empty,
        "hello world",
        "v=1\r\n",
        "v=0\r\nm=audio\r\n",
        "v=0\r\nm=audio notaport UDP/TLS/RTP/SAVPF 111\r\n",
        "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:xx opus/48000/2\r\n",
        "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=candidate:1 1 udp\r\n",
        "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=fingerprint:sha-256\r\n",
        "v=0\r\n\u0000\u0001garbage\r\n",
        new string('x', 100_000),
    };

    [Theory]
    [MemberData(nameof(MalformedOffers))]
    public void Malformed_sdp_is_rejected_with_a_clear_error(string sdp)
    {
        var e = Assert.Throws<WebRtcException>(() => PeerConnection.CreateFromOffer(sdp));
        Assert.Equal(WebRtcError.InvalidSdp, e.Error);
        Assert.StartsWith("SDP", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a=rtpmap:111 opus/48000/2", "a=rtpmap:111 speex/48000/2", "no audio section with opus")]
    [InlineData("a=setup:actpass", "a=setup:passive", "passive")]
    [InlineData("a=fingerprint:sha-256", "a=fingerprint:sha-1", "fingerprint")]
    [InlineData("a=ice-ufrag:yr67", "a=x-removed:yr67", "ice-ufrag")]
    [InlineData("a=rtcp-mux\r\n", "", "rtcp-mux")]
    public void Unusable_offers_are_rejected_with_the_reason(string find, string replace, string reason)
    {
        var text = Fixture("chromium-offer.sdp").Replace(find, replace, StringComparison.Ordinal);
        var e = Assert.Throws<WebRtcException>(() => PeerConnection.CreateFromOffer(text));
        Assert.Equal(WebRtcError.InvalidSdp, e.Error);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }
}
