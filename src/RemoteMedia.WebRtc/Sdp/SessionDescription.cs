using System.Globalization;

namespace RemoteMedia.WebRtc.Sdp;

/// <summary>An ICE candidate line (RFC 8839 §5.1), as much as we read of it.</summary>
public sealed record IceCandidate(string Foundation, int Component, string Transport, uint Priority, string Address, int Port, string Type)
{
    /// <summary>Parses the value after "candidate:"; null when it is malformed.</summary>
    public static IceCandidate? TryParse(string value)
    {
        var f = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length < 8 || f[6] != "typ"
            || !int.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out int component)
            || !uint.TryParse(f[3], NumberStyles.None, CultureInfo.InvariantCulture, out uint priority)
            || !int.TryParse(f[5], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
        {
            return null;
        }

        return new IceCandidate(f[0], component, f[2].ToLowerInvariant(), priority, f[4], port, f[7]);
    }
}

/// <summary>One rtpmap entry.</summary>
public sealed record RtpCodec(int PayloadType, string Name, int ClockRate, int Channels);

/// <summary>One m= section of a session description.</summary>
public sealed class MediaDescription
{
    internal MediaDescription(string kind, int port, string protocol, IReadOnlyList<string> formats)
    {
        Kind = kind;
        Port = port;
        Protocol = protocol;
        Formats = formats;
    }

    /// <summary>"audio", "video", "application", or whatever the offer says.</summary>
    public string Kind { get; }

    public int Port { get; }

    public string Protocol { get; }

    public IReadOnlyList<string> Formats { get; }

    public string? Mid { get; internal set; }

    public string? IceUfrag { get; internal set; }

    public string? IcePassword { get; internal set; }

    /// <summary>Fingerprint hash name, lower case (e.g. "sha-256").</summary>
    public string? FingerprintAlgorithm { get; internal set; }

    /// <summary>Fingerprint value, upper-case colon-separated hex.</summary>
    public string? Fingerprint { get; internal set; }

    public string? Setup { get; internal set; }

    /// <summary>sendrecv, sendonly, recvonly or inactive (sendrecv when absent).</summary>
    public string Direction { get; internal set; } = "sendrecv";

    public bool RtcpMux { get; internal set; }

    public int? SctpPort { get; internal set; }

    public bool EndOfCandidates { get; internal set; }

    public IList<RtpCodec> Codecs { get; } = new List<RtpCodec>();

    public IList<IceCandidate> Candidates { get; } = new List<IceCandidate>();

    public IDictionary<int, string> Fmtp { get; } = new Dictionary<int, string>();

    /// <summary>Every attribute line of this section (name, value or null), in order.</summary>
    public IList<KeyValuePair<string, string?>> Attributes { get; } = new List<KeyValuePair<string, string?>>();

    /// <summary>The first Opus codec at 48 kHz, if the section offers one.</summary>
    public RtpCodec? Opus => Codecs.FirstOrDefault(c => c.Name.Equals("opus", StringComparison.OrdinalIgnoreCase) && c.ClockRate == 48000);

    public bool IsDataChannel => Kind == "application" && Protocol.Contains("SCTP", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A parsed session description (RFC 8866) with the WebRTC attributes we need (RFC 8829).</summary>
public sealed class SessionDescription
{
    private const int MaxLength = 64 * 1024;

    private SessionDescription() { }

    public IList<MediaDescription> Media { get; } = new List<MediaDescription>();

    /// <summary>The mids of a=group:BUNDLE, in order (empty when not bundled).</summary>
    public IList<string> BundleMids { get; } = new List<string>();

    public bool IceLite { get; private set; }

    /// <summary>Parses an SDP offer or answer; throws <see cref="WebRtcException"/> (InvalidSdp) naming the offending line.</summary>
    public static SessionDescription Parse(string sdp)
    {
        ArgumentNullException.ThrowIfNull(sdp);
        if (sdp.Length > MaxLength)
        {
            throw Invalid(0, $"SDP longer than {MaxLength} characters");
        }

        var d = new SessionDescription();
        string? sUfrag = null, sPwd = null, sFpAlg = null, sFp = null, sSetup = null, sDir = null;
        MediaDescription? m = null;
        int lineNo = 0;
        bool sawVersion = false;
        foreach (var raw in sdp.Split('\n'))
        {
            lineNo++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            if (line.Length < 2 || line[1] != '=')
            {
                throw Invalid(lineNo, $"not a type=value line: '{Truncate(line)}'");
            }

            char type = line[0];
            string value = line[2..];
            if (!sawVersion)
            {
                if (type != 'v' || value != "0")
                {
                    throw Invalid(lineNo, "SDP must start with v=0");
                }

                sawVersion = true;
                continue;
            }

            if (type == 'm')
            {
                m = ParseMediaLine(value, lineNo);
                d.Media.Add(m);
                continue;
            }

            if (type != 'a')
            {
                continue;
            }

            int colon = value.IndexOf(':', StringComparison.Ordinal);
            string name = colon < 0 ? value : value[..colon];
            string? val = colon < 0 ? null : value[(colon + 1)..];
            if (m is null)
            {
                switch (name)
                {
                    case "group" when val is not null && val.StartsWith("BUNDLE", StringComparison.Ordinal):
                        foreach (var mid in val["BUNDLE".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                        {
                            d.BundleMids.Add(mid);
                        }

                        break;
                    case "ice-lite": d.IceLite = true; break;
                    case "ice-ufrag": sUfrag = val; break;
                    case "ice-pwd": sPwd = val; break;
                    case "fingerprint": (sFpAlg, sFp) = ParseFingerprint(val, lineNo); break;
                    case "setup": sSetup = val; break;
                    case "sendrecv" or "sendonly" or "recvonly" or "inactive": sDir = name; break;
                }

                continue;
            }

            m.Attributes.Add(new KeyValuePair<string, string?>(name, val));
            switch (name)
            {
                case "mid": m.Mid = val; break;
                case "ice-ufrag": m.IceUfrag = val; break;
                case "ice-pwd": m.IcePassword = val; break;
                case "fingerprint":
                    var (alg, fp) = ParseFingerprint(val, lineNo);
                    m.FingerprintAlgorithm = alg;
                    m.Fingerprint = fp;
                    break;
                case "setup": m.Setup = val; break;
                case "sendrecv" or "sendonly" or "recvonly" or "inactive": m.Direction = name; break;
                case "rtcp-mux": m.RtcpMux = true; break;
                case "end-of-candidates": m.EndOfCandidates = true; break;
                case "sctp-port" when int.TryParse(val, NumberStyles.None, CultureInfo.InvariantCulture, out int sp): m.SctpPort = sp; break;
                case "sctpmap" when val is not null:
                    var sm = val.Split(' ');
                    if (int.TryParse(sm[0], NumberStyles.None, CultureInfo.InvariantCulture, out int smp))
                    {
                        m.SctpPort = smp;
                    }

                    break;
                case "candidate" when val is not null:
                    var c = IceCandidate.TryParse(val) ?? throw Invalid(lineNo, $"bad candidate '{Truncate(val)}'");
                    m.Candidates.Add(c);
                    break;
                case "rtpmap" when val is not null:
                    m.Codecs.Add(ParseRtpmap(val, lineNo));
                    break;
                case "fmtp" when val is not null:
                    int sp2 = val.IndexOf(' ', StringComparison.Ordinal);
                    if (sp2 > 0 && int.TryParse(val.AsSpan(0, sp2), NumberStyles.None, CultureInfo.InvariantCulture, out int fpt))
                    {
                        m.Fmtp[fpt] = val[(sp2 + 1)..];
                    }

                    break;
            }
        }

        if (!sawVersion)
        {
            throw Invalid(0, "empty SDP");
        }

        foreach (var media in d.Media)
        {
            media.IceUfrag ??= sUfrag;
            media.IcePassword ??= sPwd;
            media.FingerprintAlgorithm ??= sFpAlg;
            media.Fingerprint ??= sFp;
            media.Setup ??= sSetup;
            if (sDir is not null && !media.Attributes.Any(a => a.Key is "sendrecv" or "sendonly" or "recvonly" or "inactive"))
            {
                media.Direction = sDir;
            }
        }

        return d;
    }

    private static MediaDescription ParseMediaLine(string value, int lineNo)
    {
        var f = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length < 3)
        {
            throw Invalid(lineNo, $"m= line needs media, port and protocol: '{Truncate(value)}'");
        }

        var portText = f[1];
        int slash = portText.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            portText = portText[..slash];
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
        {
            throw Invalid(lineNo, $"bad m= port '{Truncate(f[1])}'");
        }

        return new MediaDescription(f[0], port, f[2], f.Skip(3).ToArray());
    }

    private static RtpCodec ParseRtpmap(string val, int lineNo)
    {
        // "<pt> <name>/<clock>[/<channels>]"
        int sp = val.IndexOf(' ', StringComparison.Ordinal);
        if (sp <= 0 || !int.TryParse(val.AsSpan(0, sp), NumberStyles.None, CultureInfo.InvariantCulture, out int pt) || pt > 127)
        {
            throw Invalid(lineNo, $"bad rtpmap '{Truncate(val)}'");
        }

        var enc = val[(sp + 1)..].Split('/');
        if (enc.Length < 2 || !int.TryParse(enc[1], NumberStyles.None, CultureInfo.InvariantCulture, out int clock))
        {
            throw Invalid(lineNo, $"bad rtpmap encoding '{Truncate(val)}'");
        }

        int channels = enc.Length > 2 && int.TryParse(enc[2], NumberStyles.None, CultureInfo.InvariantCulture, out int ch) ? ch : 1;
        return new RtpCodec(pt, enc[0], clock, channels);
    }

    private static (string Algorithm, string Value) ParseFingerprint(string? val, int lineNo)
    {
        var f = val?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f is null || f.Length != 2)
        {
            throw Invalid(lineNo, "a=fingerprint needs a hash name and a value");
        }

        return (f[0].ToLowerInvariant(), f[1].ToUpperInvariant());
    }

    private static string Truncate(string s) => s.Length <= 60 ? s : s[..60] + "...";

    private static WebRtcException Invalid(int line, string message) =>
        new(WebRtcError.InvalidSdp, line > 0 ? $"SDP line {line}: {message}" : $"SDP: {message}");
}
