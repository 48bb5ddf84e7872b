using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using RemoteMedia.WebRtc.Srtp;

namespace RemoteMedia.WebRtc.Dtls;

/// <summary>The outcome of a DTLS-SRTP handshake: the negotiated profile and the exported keying material.</summary>
internal sealed record DtlsSrtpKeys(SrtpProfile Profile, byte[] KeyingMaterial, string PeerFingerprint)
{
    /// <summary>Master key+salt the DTLS client uses to send (and the server to receive).</summary>
    internal byte[] ClientMasterKey => SrtpProfileInfo.MasterKey(Profile, KeyingMaterial, client: true);

    internal byte[] ServerMasterKey => SrtpProfileInfo.MasterKey(Profile, KeyingMaterial, client: false);
}

internal static class DtlsSuites
{
    internal static readonly int[] EcdsaSuites =
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
    ];

    internal static TlsCredentialedSigner Signer(TlsContext context, BcTlsCrypto crypto, RtcCertificate certificate) =>
        new BcDefaultTlsCredentialedSigner(
            new TlsCryptoParameters(context),
            crypto,
            certificate.PrivateKey,
            new Certificate([new BcTlsCertificate(crypto, certificate.Der)]),
            SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));

    internal static string PeerFingerprint(Certificate? chain)
    {
        if (chain is null || chain.IsEmpty)
        {
            throw new TlsFatalAlert(AlertDescription.bad_certificate);
        }

        return RtcCertificate.FingerprintOf(chain.GetCertificateAt(0).GetEncoded());
    }
}

/// <summary>The DTLS 1.2 server of WebRTC (we answer a=setup:passive): ECDSA, use_srtp, client certificate pinned to the SDP fingerprint.</summary>
internal sealed class DtlsSrtpServer : DefaultTlsServer
{
    private readonly RtcCertificate certificate;
    private readonly string expectedFingerprint;
    private readonly SrtpProfile[] profiles;
    private readonly int handshakeTimeoutMillis;
    private SrtpProfile? chosen;
    private string? peerFingerprint;

    internal DtlsSrtpServer(RtcCertificate certificate, string expectedFingerprint, SrtpProfile[] profiles, int handshakeTimeoutMillis)
        : base(new BcTlsCrypto(new Org.BouncyCastle.Security.SecureRandom()))
    {
        this.certificate = certificate;
        this.expectedFingerprint = expectedFingerprint;
        this.profiles = profiles;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    internal DtlsSrtpKeys? Keys { get; private set; }

    public override int GetHandshakeTimeoutMillis() => handshakeTimeoutMillis;

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    protected override int[] GetSupportedCipherSuites() => TlsUtilities.GetSupportedCipherSuites(Crypto, DtlsSuites.EcdsaSuites);

    protected override TlsCredentialedSigner GetECDsaSignerCredentials() =>
        DtlsSuites.Signer(m_context, (BcTlsCrypto)Crypto, certificate);

    public override CertificateRequest GetCertificateRequest() =>
        new([ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign], TlsUtilities.GetDefaultSupportedSignatureAlgorithms(m_context), null);

    public override void NotifyClientCertificate(Certificate clientCertificate)
    {
        var fp = DtlsSuites.PeerFingerprint(clientCertificate);
        if (!string.Equals(fp, expectedFingerprint, StringComparison.OrdinalIgnoreCase))
        {
            throw new TlsFatalAlert(AlertDescription.bad_certificate);
        }

        peerFingerprint = fp;
    }

    public override void ProcessClientExtensions(IDictionary<int, byte[]> clientExtensions)
    {
        base.ProcessClientExtensions(clientExtensions);
        var offered = TlsSrtpUtilities.GetUseSrtpExtension(clientExtensions)
            ?? throw new TlsFatalAlert(AlertDescription.handshake_failure);
        foreach (var p in profiles)
        {
            if (Array.IndexOf(offered.ProtectionProfiles, (int)p) >= 0)
            {
                chosen = p;
                return;
            }
        }

        throw new TlsFatalAlert(AlertDescription.handshake_failure);
    }

    public override IDictionary<int, byte[]> GetServerExtensions()
    {
        var ext = base.GetServerExtensions();
        TlsSrtpUtilities.AddUseSrtpExtension(ext, new UseSrtpData([(int)chosen!.Value], TlsUtilities.EmptyBytes));
        return ext;
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        if (peerFingerprint is null || chosen is null)
        {
            throw new TlsFatalAlert(AlertDescription.handshake_failure);
        }

        var keying = m_context.ExportKeyingMaterial(ExporterLabel.dtls_srtp, null, SrtpProfileInfo.KeyingMaterialLength(chosen.Value));
        Keys = new DtlsSrtpKeys(chosen.Value, keying, peerFingerprint);
    }
}

/// <summary>A DTLS-SRTP client (the browser's role); used by loopback tests and benchmarks.</summary>
internal sealed class DtlsSrtpClient : DefaultTlsClient
{
    private readonly RtcCertificate certificate;
    private readonly string expectedFingerprint;
    private readonly SrtpProfile[] profiles;

    internal DtlsSrtpClient(RtcCertificate certificate, string expectedFingerprint, SrtpProfile[] profiles)
        : base(new BcTlsCrypto(new Org.BouncyCastle.Security.SecureRandom()))
    {
        this.certificate = certificate;
        this.expectedFingerprint = expectedFingerprint;
        this.profiles = profiles;
    }

    internal DtlsSrtpKeys? Keys { get; private set; }

    internal string? PeerFingerprint { get; private set; }

    private SrtpProfile? chosen;

    public override int GetHandshakeTimeoutMillis() => 10_000;

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    protected override int[] GetSupportedCipherSuites() => TlsUtilities.GetSupportedCipherSuites(Crypto, DtlsSuites.EcdsaSuites);

    public override IDictionary<int, byte[]> GetClientExtensions()
    {
        var ext = TlsExtensionsUtilities.EnsureExtensionsInitialised(base.GetClientExtensions());
        TlsSrtpUtilities.AddUseSrtpExtension(ext, new UseSrtpData(profiles.Select(p => (int)p).ToArray(), TlsUtilities.EmptyBytes));
        return ext;
    }

    public override void ProcessServerExtensions(IDictionary<int, byte[]> serverExtensions)
    {
        base.ProcessServerExtensions(serverExtensions);
        var use = TlsSrtpUtilities.GetUseSrtpExtension(serverExtensions) ?? throw new TlsFatalAlert(AlertDescription.handshake_failure);
        chosen = (SrtpProfile)use.ProtectionProfiles[0];
    }

    public override TlsAuthentication GetAuthentication() => new Authentication(this);

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        var keying = m_context.ExportKeyingMaterial(ExporterLabel.dtls_srtp, null, SrtpProfileInfo.KeyingMaterialLength(chosen!.Value));
        Keys = new DtlsSrtpKeys(chosen.Value, keying, PeerFingerprint!);
    }

    private sealed class Authentication(DtlsSrtpClient owner) : TlsAuthentication
    {
        public void NotifyServerCertificate(TlsServerCertificate serverCertificate)
        {
            var fp = DtlsSuites.PeerFingerprint(serverCertificate.Certificate);
            if (!string.Equals(fp, owner.expectedFingerprint, StringComparison.OrdinalIgnoreCase))
            {
                throw new TlsFatalAlert(AlertDescription.bad_certificate);
            }

            owner.PeerFingerprint = fp;
        }

        public TlsCredentials GetClientCredentials(CertificateRequest certificateRequest) =>
            DtlsSuites.Signer(owner.m_context, (BcTlsCrypto)owner.Crypto, owner.certificate);
    }
}
