using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace RemoteMedia.WebRtc.Dtls;

/// <summary>A self-signed ECDSA P-256 certificate for DTLS, identified in SDP by its SHA-256 fingerprint. Reusable across peers.</summary>
public sealed class RtcCertificate
{
    private RtcCertificate(X509Certificate certificate, AsymmetricKeyParameter privateKey)
    {
        Certificate = certificate;
        PrivateKey = privateKey;
        Der = certificate.GetEncoded();
        Fingerprint = FingerprintOf(Der);
    }

    /// <summary>The SHA-256 fingerprint as SDP writes it: upper-case hex bytes separated by colons.</summary>
    public string Fingerprint { get; }

    internal X509Certificate Certificate { get; }

    internal AsymmetricKeyParameter PrivateKey { get; }

    internal byte[] Der { get; }

    /// <summary>Generates a fresh key pair and a certificate valid for 30 days.</summary>
    public static RtcCertificate Generate(string commonName = "remotemedia")
    {
        var rng = new SecureRandom();
        var gen = new ECKeyPairGenerator();
        gen.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, rng));
        var pair = gen.GenerateKeyPair();
        var cg = new X509V3CertificateGenerator();
        var name = new Org.BouncyCastle.Asn1.X509.X509Name("CN=" + commonName);
        cg.SetSerialNumber(BigInteger.ProbablePrime(64, rng));
        cg.SetIssuerDN(name);
        cg.SetSubjectDN(name);
        cg.SetNotBefore(DateTime.UtcNow.AddDays(-1));
        cg.SetNotAfter(DateTime.UtcNow.AddDays(30));
        cg.SetPublicKey(pair.Public);
        var cert = cg.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", pair.Private, rng));
        return new RtcCertificate(cert, pair.Private);
    }

    internal static string FingerprintOf(byte[] der) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(der)).Chunk(2).Aggregate(
            new System.Text.StringBuilder(),
            (sb, pair) => (sb.Length > 0 ? sb.Append(':') : sb).Append(pair),
            sb => sb.ToString());
}
