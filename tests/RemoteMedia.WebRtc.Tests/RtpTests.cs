using RemoteMedia.WebRtc.Rtp;

namespace RemoteMedia.WebRtc.Tests;

public class RtpTests
{
    [Fact]
    public void Packetizer_writes_sequence_timestamp_ssrc_and_marker_and_wraps()
    {
        var p = new RtpPacketizer(111, 0xDEADBEEF, 65534, uint.MaxValue - 959);
        var buf = new byte[64];
        var payload = new byte[] { 1, 2, 3 };
        var headers = new List<RtpHeader>();
        for (int i = 0; i < 3; i++)
        {
            int n = p.Write(buf, payload, 960);
            Assert.Equal(15, n);
            Assert.True(RtpPacket.TryParse(buf.AsSpan(0, n), out var h));
            Assert.Equal(payload, buf.AsSpan(h.PayloadOffset, h.PayloadLength).ToArray());
            headers.Add(h);
        }

        Assert.Equal(new ushort[] { 65534, 65535, 0 }, headers.Select(h => h.SequenceNumber));
        Assert.Equal(new uint[] { uint.MaxValue - 959, 0, 960 }, headers.Select(h => h.Timestamp));
        Assert.All(headers, h => Assert.Equal(0xDEADBEEFu, h.Ssrc));
        Assert.All(headers, h => Assert.Equal(111, h.PayloadType));
        Assert.Equal(new[] { true, false, false }, headers.Select(h => h.Marker));

        // A pause moves the timestamp on by the silent time and marks the next talkspurt.
        p.Pause(960 * 5);
        int m = p.Write(buf, payload, 960);
        Assert.True(RtpPacket.TryParse(buf.AsSpan(0, m), out var after));
        Assert.True(after.Marker);
        Assert.Equal((ushort)1, after.SequenceNumber);
        Assert.Equal(960u + 960 + (960 * 5), after.Timestamp);
        Assert.Equal(4u, p.PacketsSent);
    }

    [Fact]
    public void Parser_skips_csrcs_extension_and_padding()
    {
        // V=2, P=1, X=1, CC=1; one CSRC; extension of 1 word; payload 2 bytes; 2 bytes of padding.
        byte[] pkt =
        [
            0xB1, 0x6F, 0x00, 0x07, 0, 0, 0, 9, 0, 0, 0, 5,
            0, 0, 0, 1,
            0xBE, 0xDE, 0x00, 0x01, 0x10, 0xAA, 0, 0,
            0x55, 0x66,
            0x00, 0x02,
        ];
        Assert.True(RtpPacket.TryParse(pkt, out var h));
        Assert.Equal(24, h.PayloadOffset);
        Assert.Equal(2, h.PayloadLength);
        Assert.Equal(111, h.PayloadType);
        Assert.Equal((ushort)7, h.SequenceNumber);
    }

    [Theory]
    [InlineData("")]
    [InlineData("80")]
    [InlineData("806f0001000000000000")]                        // shorter than 12
    [InlineData("406f00010000000000000001aa")]                  // version 1
    [InlineData("826f00010000000000000001aa")]                  // CC=2 but no CSRCs
    [InlineData("906f00010000000000000001bede0005")]            // extension longer than the packet
    [InlineData("a06f00010000000000000001aa09")]                // padding longer than the packet
    [InlineData("a06f00010000000000000001aa00")]                // padding count 0
    public void Parser_rejects_truncated_or_inconsistent_packets(string hex)
    {
        Assert.False(RtpPacket.TryParse(Convert.FromHexString(hex), out _));
    }

    [Fact]
    public void Rtcp_report_is_well_formed_and_carries_a_report_block()
    {
        var sender = new RtpPacketizer(111, 7, 0, 0);
        sender.Write(new byte[64], new byte[10], 960);
        var rx = new ReceptionStatistics();
        for (ushort s = 100; s < 110; s++)
        {
            if (s != 105)
            {
                rx.OnPacket(99, s, s * 960u);
            }
        }

        var buf = new byte[128];
        int n = Rtcp.WriteReport(buf, 7, sender, 960, rx);
        Assert.Equal(52, n);
        Assert.Equal(0x81, buf[0]);
        Assert.Equal(Rtcp.SenderReport, buf[1]);
        Assert.Equal(1, Rtcp.Read(buf.AsSpan(0, n), null));
        // report block: SSRC 99, cumulative lost 1, extended highest 109
        Assert.Equal(99u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(buf.AsSpan(28)));
        Assert.Equal(1u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(buf.AsSpan(32)) & 0xFFFFFF);
        Assert.Equal(109u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(buf.AsSpan(36)));

        var rr = new byte[128];
        int m = Rtcp.WriteReport(rr, 7, new RtpPacketizer(111, 7, 0, 0), 0, null);
        Assert.Equal(8, m);
        Assert.Equal(Rtcp.ReceiverReport, rr[1]);
        Assert.Equal(-1, Rtcp.Read(buf.AsSpan(0, n - 4), null));
    }
}

public class JitterBufferTests
{
    private static List<string> Drain(JitterBuffer jb)
    {
        var outp = new List<string>();
        while (true)
        {
            var r = jb.TryPop(out var payload, out ushort seq);
            if (r == JitterPop.None)
            {
                return outp;
            }

            outp.Add(r == JitterPop.Packet ? $"{seq}:{payload[0]}" : $"{seq}:lost");
        }
    }

    private static byte[] P(int tag) => [(byte)tag];

    [Fact]
    public void In_order_packets_come_straight_out()
    {
        var jb = new JitterBuffer(3);
        jb.Insert(10, P(1));
        Assert.Equal(["10:1"], Drain(jb));
        jb.Insert(11, P(2));
        Assert.Equal(["11:2"], Drain(jb));
    }

    [Fact]
    public void Reordered_packets_are_put_back_in_order()
    {
        var jb = new JitterBuffer(3);
        jb.Insert(10, P(1));
        Drain(jb);
        jb.Insert(12, P(3));
        Assert.Empty(Drain(jb));
        jb.Insert(11, P(2));
        Assert.Equal(["11:2", "12:3"], Drain(jb));
        Assert.Equal(0, jb.Lost);
    }

    [Fact]
    public void A_missing_packet_is_declared_lost_after_depth_newer_ones()
    {
        var jb = new JitterBuffer(3);
        jb.Insert(10, P(1));
        Drain(jb);
        jb.Insert(12, P(3));
        jb.Insert(13, P(4));
        Assert.Empty(Drain(jb));
        jb.Insert(14, P(5));
        Assert.Equal(["11:lost", "12:3", "13:4", "14:5"], Drain(jb));
        Assert.Equal(1, jb.Lost);

        // The lost packet turning up now is late, and dropped.
        Assert.Equal(JitterInsert.Late, jb.Insert(11, P(2)));
        Assert.Empty(Drain(jb));
        Assert.Equal(1, jb.Late);
    }

    [Fact]
    public void Flush_gives_up_gaps_when_the_stream_goes_quiet()
    {
        var jb = new JitterBuffer(3);
        jb.Insert(10, P(1));
        jb.Insert(12, P(3));
        Assert.Equal(["10:1"], Drain(jb));
        var flushed = new List<string>();
        while (true)
        {
            var r = jb.TryPop(out var payload, out ushort seq, flush: true);
            if (r == JitterPop.None)
            {
                break;
            }

            flushed.Add(r == JitterPop.Packet ? $"{seq}:{payload[0]}" : $"{seq}:lost");
        }

        Assert.Equal(["11:lost", "12:3"], flushed);
        Assert.Equal(JitterPop.None, jb.TryPop(out _, out _, flush: true));   // nothing newer: no invented losses
    }

    [Fact]
    public void Duplicates_are_dropped_and_counted()
    {
        var jb = new JitterBuffer(3);
        jb.Insert(10, P(1));
        jb.Insert(12, P(3));
        Assert.Equal(JitterInsert.Duplicate, jb.Insert(12, P(9)));
        Assert.Equal(1, jb.Duplicates);
        Assert.Equal(["10:1"], Drain(jb));
        jb.Insert(11, P(2));
        Assert.Equal(["11:2", "12:3"], Drain(jb));
        Assert.Equal(JitterInsert.Late, jb.Insert(11, P(2)));   // a duplicate of one already played
    }

    [Fact]
    public void Sequence_numbers_wrap_around()
    {
        var jb = new JitterBuffer(3);
        jb.Insert(65534, P(1));
        jb.Insert(0, P(3));
        jb.Insert(65535, P(2));
        jb.Insert(1, P(4));
        Assert.Equal(["65534:1", "65535:2", "0:3", "1:4"], Drain(jb));
        jb.Insert(3, P(6));
        jb.Insert(4, P(7));
        jb.Insert(5, P(8));
        Assert.Equal(["2:lost", "3:6", "4:7", "5:8"], Drain(jb));
    }

    [Fact]
    public void A_big_jump_resets_the_buffer()
    {
        var jb = new JitterBuffer(3);
        jb.Insert(10, P(1));
        Drain(jb);
        Assert.Equal(JitterInsert.Reset, jb.Insert(30000, P(2)));
        Assert.Equal(["30000:2"], Drain(jb));
        Assert.Equal(1, jb.Resets);
    }

    [Fact]
    public void A_packet_arriving_after_its_gap_was_concealed_deepens_the_buffer_and_a_duplicate_does_not()
    {
        var jb = new JitterBuffer(3, 5);
        jb.Insert(10, P(1));
        jb.Insert(12, P(3));
        jb.Insert(13, P(4));
        jb.Insert(14, P(5));
        Assert.Equal(["10:1", "11:lost", "12:3", "13:4", "14:5"], Drain(jb));

        Assert.Equal(JitterInsert.Late, jb.Insert(12, P(3)));   // played already: a duplicate
        Assert.Equal(3, jb.Depth);
        Assert.Equal(JitterInsert.Late, jb.Insert(11, P(2)));   // given up, then here: the network is slower than our depth
        Assert.Equal(4, jb.Depth);
        Assert.Equal(JitterInsert.Late, jb.Insert(11, P(2)));   // counted once
        Assert.Equal(4, jb.Depth);
        Assert.Equal(1, jb.ArrivedAfterGivenUp);

        // Now a gap waits for 4 newer packets instead of 3.
        jb.Insert(16, P(7));
        jb.Insert(17, P(8));
        jb.Insert(18, P(9));
        Assert.Empty(Drain(jb));
        jb.Insert(15, P(6));
        Assert.Equal(["15:6", "16:7", "17:8", "18:9"], Drain(jb));
        Assert.Equal(1, jb.Lost);
    }

    [Fact]
    public void The_depth_stops_at_its_maximum_and_shrinks_back_after_a_calm_stretch()
    {
        var jb = new JitterBuffer(2, 4);
        ushort seq = 100;
        jb.Insert(seq, P(0));
        Drain(jb);
        for (var round = 0; round < 5; round++)
        {
            // A gap given up, then the missing packet turns up.
            var missing = ++seq;
            for (var i = 0; i < jb.Depth; i++)
            {
                jb.Insert(++seq, P(1));
            }

            Assert.Contains($"{missing}:lost", Drain(jb));
            jb.Insert(missing, P(2));
        }

        Assert.Equal(4, jb.Depth);
        Assert.Equal(5, jb.ArrivedAfterGivenUp);
        for (var i = 0; i < JitterBuffer.CalmPacketsBeforeShrinking * 2 - 1; i++)
        {
            jb.Insert(++seq, P(3));
            Drain(jb);
        }

        Assert.Equal(3, jb.Depth);
        jb.Insert(++seq, P(3));
        Drain(jb);
        Assert.Equal(2, jb.Depth);
        for (var i = 0; i < JitterBuffer.CalmPacketsBeforeShrinking * 2; i++)
        {
            jb.Insert(++seq, P(3));
            Drain(jb);
        }

        Assert.Equal(2, jb.Depth);   // never below the minimum
    }

    [Theory]
    [InlineData(0, 10, "JitterDepthPackets")]
    [InlineData(33, 40, "JitterDepthPackets")]
    [InlineData(3, 33, "JitterMaxDepthPackets")]
    public void Jitter_settings_out_of_range_fail_the_offer_and_name_the_setting(int depth, int maxDepth, string name)
    {
        using var client = new LoopbackClient();
        var options = new PeerConnectionOptions { JitterDepthPackets = depth, JitterMaxDepthPackets = maxDepth };
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => PeerConnection.CreateFromOffer(client.Offer(), options));
        Assert.Contains(name, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Oversized_payloads_are_refused()
    {
        var jb = new JitterBuffer(3);
        Assert.Equal(JitterInsert.TooLarge, jb.Insert(1, new byte[2000]));
        Assert.Empty(Drain(jb));
    }
}
