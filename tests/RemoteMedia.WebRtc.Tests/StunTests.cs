using System.Buffers.Binary;
using System.Net;
using System.Text;
using RemoteMedia.WebRtc.Ice;

namespace RemoteMedia.WebRtc.Tests;

public class StunTests
{
    // RFC 5769 §2.1: sample request (ICE check) with USERNAME "evtj:h6vY", short-term password below.
    internal static readonly byte[] Rfc5769Request = Convert.FromHexString(
        "000100582112a442b7e7a701bc34d686fa87dfae802200105354554e207465737420636c69656e74" +
        "002400046e0001ff80290008932ff9b151263b36000600096576746a3a6836765920202000080014" +
        "9aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a280280004e57a3bcf");

    // RFC 5769 §2.2: sample IPv4 response, XOR-MAPPED-ADDRESS 192.0.2.1:32853.
    private static readonly byte[] Rfc5769Response = Convert.FromHexString(
        "0101003c2112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f7220" +
        "002000080001a147e112a643000800142b91f599fd9e90c38c7489f92af9ba53f06be7d7" +
        "80280004c07d4c96");

    private const string Password = "VOkJxbRl1RmTxUk/WvJxBt";

    [Fact]
    public void Rfc5769_request_integrity_and_fingerprint_verify()
    {
        Assert.True(StunMessage.IsStun(Rfc5769Request));
        Assert.Equal(StunMessage.BindingRequest, StunMessage.MessageType(Rfc5769Request));
        Assert.True(StunMessage.VerifyFingerprintIfPresent(Rfc5769Request));
        Assert.True(StunMessage.VerifyMessageIntegrity(Rfc5769Request, Encoding.UTF8.GetBytes(Password)));
        Assert.False(StunMessage.VerifyMessageIntegrity(Rfc5769Request, "wrong-password"u8));
        Assert.True(StunMessage.FindAttribute(Rfc5769Request, StunMessage.AttrUsername, out var user) > 0);
        Assert.Equal("evtj:h6vY", Encoding.UTF8.GetString(user));
    }

    [Fact]
    public void Rfc5769_response_decodes_xor_mapped_address()
    {
        Assert.True(StunMessage.IsStun(Rfc5769Response));
        Assert.True(StunMessage.VerifyFingerprintIfPresent(Rfc5769Response));
        Assert.True(StunMessage.VerifyMessageIntegrity(Rfc5769Response, Encoding.UTF8.GetBytes(Password)));
        Assert.True(StunMessage.FindAttribute(Rfc5769Response, StunMessage.AttrXorMappedAddress, out var v) > 0);
        var ep = StunMessage.ReadXorMappedAddress(v, Rfc5769Response.AsSpan(8, 12));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853), ep);
    }

    [Fact]
    public void Our_success_response_encodes_the_rfc5769_xor_mapped_address_bytes()
    {
        var from = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853).Serialize();
        var buf = new byte[256];
        int n = StunMessage.WriteBindingSuccess(buf, Rfc5769Response.AsSpan(8, 12), from, Encoding.UTF8.GetBytes(Password));
        var msg = buf.AsSpan(0, n);
        Assert.True(StunMessage.IsStun(msg));
        Assert.Equal(StunMessage.BindingSuccess, StunMessage.MessageType(msg));
        Assert.Equal(Convert.FromHexString("002000080001a147e112a643"), msg.Slice(20, 12).ToArray());
        Assert.True(StunMessage.VerifyMessageIntegrity(msg, Encoding.UTF8.GetBytes(Password)));
        Assert.True(StunMessage.VerifyFingerprintIfPresent(msg));
    }

    [Fact]
    public void Agent_answers_the_rfc5769_request_and_validates_the_sender()
    {
        var agent = new IceLiteAgent("evtj", Password, "h6vY");
        var from = new IPEndPoint(IPAddress.Loopback, 40000).Serialize();
        var response = new byte[256];
        Assert.False(agent.IsValidated(from));
        Assert.Equal(StunVerdict.Answered, agent.Process(Rfc5769Request, from, response, out int n));
        Assert.True(n > 20);
        Assert.True(agent.IsValidated(from));
        Assert.True(agent.LastConsentTicks > 0);
        Assert.True(StunMessage.VerifyMessageIntegrity(response.AsSpan(0, n), Encoding.UTF8.GetBytes(Password)));
        StunMessage.FindAttribute(response.AsSpan(0, n), StunMessage.AttrXorMappedAddress, out var v);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 40000), StunMessage.ReadXorMappedAddress(v, Rfc5769Request.AsSpan(8, 12)));
    }

    [Fact]
    public void Agent_rejects_wrong_username_wrong_integrity_bad_fingerprint_and_garbage()
    {
        var from = new IPEndPoint(IPAddress.Loopback, 40000).Serialize();
        var response = new byte[256];

        var wrongUser = new IceLiteAgent("evtj", Password, "someoneelse");
        Assert.Equal(StunVerdict.BadUsername, wrongUser.Process(Rfc5769Request, from, response, out _));
        Assert.False(wrongUser.IsValidated(from));

        var wrongPwd = new IceLiteAgent("evtj", "not-the-password-at-all", "h6vY");
        Assert.Equal(StunVerdict.BadIntegrity, wrongPwd.Process(Rfc5769Request, from, response, out _));
        Assert.False(wrongPwd.IsValidated(from));

        var agent = new IceLiteAgent("evtj", Password, "h6vY");
        var tampered = (byte[])Rfc5769Request.Clone();
        tampered[80] ^= 1;   // inside MESSAGE-INTEGRITY: FINGERPRINT no longer matches
        Assert.Equal(StunVerdict.BadFingerprint, agent.Process(tampered, from, response, out _));

        // Tamper the MAC but fix up the FINGERPRINT: now integrity is what fails.
        uint crc = Crc32.Compute(tampered.AsSpan(0, tampered.Length - 8)) ^ 0x5354554E;
        BinaryPrimitives.WriteUInt32BigEndian(tampered.AsSpan(tampered.Length - 4), crc);
        Assert.Equal(StunVerdict.BadIntegrity, agent.Process(tampered, from, response, out _));

        Assert.Equal(StunVerdict.Malformed, agent.Process(new byte[] { 0, 1, 0, 0 }, from, response, out _));
        var truncated = Rfc5769Request.AsSpan(0, 60).ToArray();
        Assert.Equal(StunVerdict.Malformed, agent.Process(truncated, from, response, out _));
        Assert.Equal(StunVerdict.NotARequest, agent.Process(Rfc5769Response, from, response, out _));
        Assert.False(agent.IsValidated(from));
    }

    [Fact]
    public void Request_writer_round_trips_through_the_agent()
    {
        var agent = new IceLiteAgent("srv1", "server-password-123456", "cli1");
        var buf = new byte[256];
        var txid = new byte[12];
        Random.Shared.NextBytes(txid);
        int n = StunMessage.WriteBindingRequest(buf, txid, "srv1:cli1", "server-password-123456"u8, useCandidate: true, tieBreaker: 42);
        var from = new IPEndPoint(IPAddress.Loopback, 5555).Serialize();
        Assert.Equal(StunVerdict.Answered, agent.Process(buf.AsSpan(0, n), from, new byte[256], out _));
        Assert.NotNull(agent.SelectedRemote);
    }
}
