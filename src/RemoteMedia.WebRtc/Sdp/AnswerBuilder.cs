using System.Globalization;
using System.Net;
using System.Text;

namespace RemoteMedia.WebRtc.Sdp;

/// <summary>What we take from an offer: the transport credentials and the one audio section we answer.</summary>
internal sealed record OfferPlan(
    string RemoteUfrag,
    string RemotePassword,
    string RemoteFingerprint,
    string AudioMid,
    int OpusPayloadType,
    string AudioDirection,
    MediaDescription? DataChannel);

/// <summary>Reads an offer into an <see cref="OfferPlan"/> and writes the ICE-lite, DTLS-passive answer.</summary>
internal static class AnswerBuilder
{
    internal static OfferPlan Plan(SessionDescription offer, bool acceptDataChannel)
    {
        var audio = offer.Media.FirstOrDefault(m => m.Kind == "audio" && m.Port != 0 && m.Opus is not null)
            ?? throw new WebRtcException(WebRtcError.InvalidSdp, "the offer has no audio section with opus/48000");

        // With BUNDLE every section shares the transport of the first bundled one (the "BUNDLE tag").
        var transport = offer.BundleMids.Count > 0
            ? offer.Media.FirstOrDefault(m => m.Mid == offer.BundleMids[0]) ?? audio
            : audio;
        if (offer.BundleMids.Count == 0 && offer.Media.Count(m => m.Port != 0 && (m == audio || (acceptDataChannel && m.IsDataChannel))) > 1)
        {
            throw new WebRtcException(WebRtcError.InvalidSdp, "offers without BUNDLE are not supported: one transport per peer");
        }

        string ufrag = transport.IceUfrag ?? throw new WebRtcException(WebRtcError.InvalidSdp, "the offer has no a=ice-ufrag");
        string pwd = transport.IcePassword ?? throw new WebRtcException(WebRtcError.InvalidSdp, "the offer has no a=ice-pwd");
        if (transport.FingerprintAlgorithm != "sha-256" || transport.Fingerprint is null)
        {
            throw new WebRtcException(WebRtcError.InvalidSdp, "the offer needs an a=fingerprint:sha-256");
        }

        if (transport.Setup is "passive")
        {
            throw new WebRtcException(WebRtcError.InvalidSdp, "the offer is a=setup:passive; we answer passive only, so the offerer must be able to be the DTLS client");
        }

        if (!audio.RtcpMux)
        {
            throw new WebRtcException(WebRtcError.InvalidSdp, "the audio section must offer a=rtcp-mux");
        }

        string direction = audio.Direction switch
        {
            "sendonly" => "recvonly",
            "recvonly" => "sendonly",
            "inactive" => "inactive",
            _ => "sendrecv",
        };
        var dc = acceptDataChannel ? offer.Media.FirstOrDefault(m => m.IsDataChannel && m.Port != 0) : null;
        return new OfferPlan(ufrag, pwd, transport.Fingerprint, audio.Mid ?? "0", audio.Opus!.PayloadType, direction, dc);
    }

    internal static string Write(
        SessionDescription offer, OfferPlan plan, string localUfrag, string localPassword, string fingerprint,
        IPEndPoint local, uint audioSsrc, string cname, ulong sessionId, IReadOnlyList<IPAddress>? candidateAddresses = null)
    {
        var accepted = new List<string>();
        var body = new StringBuilder();
        var addresses = candidateAddresses is { Count: > 0 } ? candidateAddresses : [local.Address];
        string ip = addresses[0].ToString();
        string ipKind = addresses[0].AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IP6" : "IP4";
        foreach (var m in offer.Media)
        {
            bool isAudio = m.Kind == "audio" && m.Mid == plan.AudioMid && m.Opus is not null && m.Port != 0;
            bool isData = plan.DataChannel is not null && ReferenceEquals(m, plan.DataChannel);
            if (!isAudio && !isData)
            {
                // Rejected section (RFC 8829 §5.3.1): port 0, same protocol, one format, the mid, nothing else.
                body.Append(CultureInfo.InvariantCulture, $"m={m.Kind} 0 {m.Protocol} {(m.Formats.Count > 0 ? m.Formats[0] : "0")}\r\n");
                body.Append(CultureInfo.InvariantCulture, $"c=IN {ipKind} {ip}\r\n");
                if (m.Mid is not null)
                {
                    body.Append(CultureInfo.InvariantCulture, $"a=mid:{m.Mid}\r\n");
                }

                body.Append("a=inactive\r\n");
                continue;
            }

            accepted.Add(m.Mid ?? "0");
            if (isAudio)
            {
                int pt = plan.OpusPayloadType;
                body.Append(CultureInfo.InvariantCulture, $"m=audio {local.Port} {m.Protocol} {pt}\r\n");
            }
            else
            {
                body.Append(CultureInfo.InvariantCulture, $"m=application {local.Port} {m.Protocol} {string.Join(' ', m.Formats)}\r\n");
            }

            body.Append(CultureInfo.InvariantCulture, $"c=IN {ipKind} {ip}\r\n");
            body.Append(CultureInfo.InvariantCulture, $"a=ice-ufrag:{localUfrag}\r\n");
            body.Append(CultureInfo.InvariantCulture, $"a=ice-pwd:{localPassword}\r\n");
            body.Append(CultureInfo.InvariantCulture, $"a=fingerprint:sha-256 {fingerprint}\r\n");
            body.Append("a=setup:passive\r\n");
            body.Append(CultureInfo.InvariantCulture, $"a=mid:{m.Mid}\r\n");
            if (isAudio)
            {
                int pt = plan.OpusPayloadType;
                body.Append(CultureInfo.InvariantCulture, $"a={plan.AudioDirection}\r\n");
                body.Append("a=rtcp-mux\r\n");
                body.Append(CultureInfo.InvariantCulture, $"a=rtpmap:{pt} opus/48000/2\r\n");
                body.Append(CultureInfo.InvariantCulture, $"a=fmtp:{pt} minptime=10;useinbandfec=1\r\n");
                body.Append(CultureInfo.InvariantCulture, $"a=msid:{cname} audio0\r\n");
                body.Append(CultureInfo.InvariantCulture, $"a=ssrc:{audioSsrc} cname:{cname}\r\n");
            }
            else
            {
                if (m.Attributes.Any(a => a.Key == "sctpmap"))
                {
                    body.Append(CultureInfo.InvariantCulture, $"a=sctpmap:{m.SctpPort ?? 5000} webrtc-datachannel 65535\r\n");
                }
                else
                {
                    body.Append(CultureInfo.InvariantCulture, $"a=sctp-port:{m.SctpPort ?? 5000}\r\n");
                }

                body.Append("a=max-message-size:65536\r\n");
            }

            for (int i = 0; i < addresses.Count; i++)
            {
                // RFC 8445 §5.1.2.1 host priority: type preference 126, local preference descending per address, component 1.
                uint priority = (126u << 24) | ((uint)(65535 - i) << 8) | 255u;
                body.Append(CultureInfo.InvariantCulture, $"a=candidate:{i + 1} 1 udp {priority} {addresses[i]} {local.Port} typ host\r\n");
            }

            body.Append("a=end-of-candidates\r\n");
        }

        var sb = new StringBuilder();
        sb.Append("v=0\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"o=- {sessionId} 2 IN {ipKind} {ip}\r\n");
        sb.Append("s=-\r\nt=0 0\r\n");
        if (offer.BundleMids.Count > 0 && accepted.Count > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"a=group:BUNDLE {string.Join(' ', accepted)}\r\n");
        }

        sb.Append("a=ice-lite\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"a=msid-semantic: WMS {cname}\r\n");
        sb.Append(body);
        return sb.ToString();
    }
}
