using System.Reflection;
using System.Runtime.InteropServices;
using RemoteMedia.WebRtc.Codecs;
using RemoteMedia.WebRtc.Interop;
using RemoteMedia.WebRtc.Srtp;

namespace RemoteMedia.WebRtc.Tests;

public class NativeExportsTests
{
    [Theory]
    [InlineData(OpusNative.Library, typeof(OpusNative))]
    [InlineData(SrtpNative.Library, typeof(SrtpNative))]
    [InlineData(UsrsctpNative.Library, typeof(UsrsctpNative))]
    public void Every_declared_entry_point_exists_in_the_library(string library, Type binding)
    {
        Assert.True(NativeLibrary.TryLoad(library, out var handle), $"{library} not found: apt-get install -y libopus0 libsrtp2-1");
        var declared = binding.GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
            .Select(m => m.GetCustomAttribute<LibraryImportAttribute>())
            .Where(a => a is not null)
            .Select(a => a!.EntryPoint!)
            .ToHashSet();
        var listed = (string[])binding.GetField("ExportNames", BindingFlags.Static | BindingFlags.NonPublic)!.GetValue(null)!;
        Assert.Equal(declared.Order(), listed.Order());
        foreach (var name in listed)
        {
            Assert.True(NativeLibrary.TryGetExport(handle, name, out _), $"{library} lacks {name}");
        }
    }

    [Fact]
    public void Versions_are_the_expected_major_ones()
    {
        Assert.StartsWith("libopus 1.", Marshal.PtrToStringUTF8(OpusNative.opus_get_version_string()), StringComparison.Ordinal);
        Assert.StartsWith("libsrtp2 2.", Marshal.PtrToStringUTF8(SrtpNative.srtp_get_version_string()), StringComparison.Ordinal);
    }

    [Fact]
    public void Srtp_policy_struct_has_the_c_layout()
    {
        Assert.Equal(128, Marshal.SizeOf<SrtpPolicy>());
        Assert.Equal(56, (int)Marshal.OffsetOf<SrtpPolicy>(nameof(SrtpPolicy.Key)));
        Assert.Equal(88, (int)Marshal.OffsetOf<SrtpPolicy>(nameof(SrtpPolicy.WindowSize)));
        Assert.Equal(120, (int)Marshal.OffsetOf<SrtpPolicy>(nameof(SrtpPolicy.Next)));
    }

    [Fact]
    public void Usrsctp_structs_have_the_c_layout()
    {
        Assert.Equal(16, Marshal.SizeOf<SockaddrConn>());
        Assert.Equal(32, Marshal.SizeOf<SctpSockstore>());
        Assert.Equal(28, Marshal.SizeOf<SctpRcvInfo>());
        Assert.Equal(8, (int)Marshal.OffsetOf<SctpRcvInfo>(nameof(SctpRcvInfo.Ppid)));
        Assert.Equal(16, Marshal.SizeOf<SctpSndInfo>());
    }

    [Fact]
    public void No_public_type_exposes_native_handles_or_bouncycastle()
    {
        var asm = typeof(PeerConnection).Assembly;
        foreach (var t in asm.GetExportedTypes())
        {
            Assert.False(typeof(SafeHandle).IsAssignableFrom(t), t.FullName);
            Assert.NotEqual("RemoteMedia.WebRtc.Interop", t.Namespace);
            var members = t.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly);
            foreach (var m in members)
            {
                var types = m switch
                {
                    PropertyInfo p => [p.PropertyType],
                    MethodInfo mi => mi.GetParameters().Select(p => p.ParameterType).Append(mi.ReturnType),
                    FieldInfo f => [f.FieldType],
                    _ => Array.Empty<Type>(),
                };
                foreach (var ty in types)
                {
                    Assert.False(ty.Namespace?.StartsWith("Org.BouncyCastle", StringComparison.Ordinal) ?? false, $"{t}.{m.Name}");
                    Assert.False(typeof(SafeHandle).IsAssignableFrom(ty), $"{t}.{m.Name}");
                    Assert.NotEqual(typeof(nint), ty);
                }
            }
        }
    }
}

public class OpusTests
{
    internal static short[] Chirp(int samples, double f0 = 200, double f1 = 3000, int periodSamples = 48000)
    {
        var s = new short[samples];
        for (int i = 0; i < samples; i++)
        {
            double t = (i % periodSamples) / 48000.0;
            double T = periodSamples / 48000.0;
            double phase = 2 * Math.PI * ((f0 * t) + ((f1 - f0) * t * t / (2 * T)));
            s[i] = (short)(12000 * Math.Sin(phase));
        }

        return s;
    }

    [Fact]
    public void Encode_decode_round_trip_preserves_the_signal()
    {
        using var enc = new OpusEncoder();
        using var dec = new OpusDecoder();
        var src = Chirp(48000);
        var outp = new List<short>();
        var packet = new byte[1500];
        var pcm = new short[OpusDecoder.MaxFrameSamples];
        for (int f = 0; f < 50; f++)
        {
            int n = enc.Encode(src.AsSpan(f * 960, 960), packet);
            Assert.InRange(n, 10, 1275);
            int d = dec.Decode(packet.AsSpan(0, n), pcm);
            Assert.Equal(960, d);
            outp.AddRange(pcm.AsSpan(0, d).ToArray());
        }

        double c = Signal.MaxNormalizedCrossCorrelation(src, outp.ToArray(), 2000, out int lag);
        Assert.True(c > 0.9, $"correlation {c:F3} at lag {lag}");
    }

    [Fact]
    public void Bad_packets_return_an_error_and_conceal_still_works()
    {
        using var dec = new OpusDecoder();
        var pcm = new short[OpusDecoder.MaxFrameSamples];
        Assert.True(dec.Decode(new byte[] { 0xFF, 0xFF, 0xFF }, pcm) < 0);   // code 3, zero frames: invalid
        Assert.True(dec.Decode(ReadOnlySpan<byte>.Empty, pcm) < 0);
        Assert.Equal(960, dec.Conceal(pcm.AsSpan(0, 960)));
    }

    [Fact]
    public void Encoder_rejects_a_frame_of_the_wrong_size()
    {
        using var enc = new OpusEncoder();
        Assert.Throws<ArgumentException>(() => enc.Encode(new short[100], new byte[1500]));
    }
}

public class SrtpTests
{
    private static byte[] RtpPacket(ushort seq, int payloadLength = 50)
    {
        var buf = new byte[payloadLength + 12 + SrtpNative.MaxTrailer];
        new RemoteMedia.WebRtc.Rtp.RtpPacketizer(111, 0x11223344, seq, 1000).Write(buf, Enumerable.Range(0, payloadLength).Select(i => (byte)i).ToArray(), 960);
        return buf;
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(7, 16)]
    public void Protect_unprotect_round_trip(int profileId, int overhead)
    {
        var profile = (SrtpProfile)profileId;
        var key = Enumerable.Range(1, SrtpProfileInfo.KeyLength(profile) + SrtpProfileInfo.SaltLength(profile)).Select(i => (byte)i).ToArray();
        using var tx = new SrtpContext(profile, key, inbound: false);
        using var rx = new SrtpContext(profile, key, inbound: true);
        var pkt = RtpPacket(5);
        var plain = pkt.AsSpan(0, 62).ToArray();
        int len = 62;
        Assert.Equal(0, tx.Protect(pkt, ref len));
        Assert.Equal(62 + overhead, len);
        Assert.False(pkt.AsSpan(12, 50).SequenceEqual(plain.AsSpan(12, 50)));
        Assert.Equal(0, rx.Unprotect(pkt, ref len));
        Assert.Equal(62, len);
        Assert.Equal(plain, pkt.AsSpan(0, len).ToArray());
    }

    [Fact]
    public void Tampered_replayed_and_wrong_key_packets_fail()
    {
        var key = new byte[30];
        key[0] = 1;
        using var tx = new SrtpContext(SrtpProfile.Aes128CmHmacSha1_80, key, inbound: false);
        using var rx = new SrtpContext(SrtpProfile.Aes128CmHmacSha1_80, key, inbound: true);
        var other = new byte[30];
        other[0] = 2;
        using var wrong = new SrtpContext(SrtpProfile.Aes128CmHmacSha1_80, other, inbound: true);

        var pkt = RtpPacket(7);
        int len = 62;
        Assert.Equal(0, tx.Protect(pkt, ref len));
        var copy = pkt.AsSpan(0, len).ToArray();
        var tampered = (byte[])pkt.Clone();
        tampered[20] ^= 0x40;
        int tl = len;
        Assert.Equal(SrtpNative.ErrAuthFail, rx.Unprotect(tampered, ref tl));
        int wl = len;
        Assert.Equal(SrtpNative.ErrAuthFail, wrong.Unprotect((byte[])copy.Clone(), ref wl));
        int l1 = len;
        Assert.Equal(0, rx.Unprotect(pkt, ref l1));
        var again = copy.Concat(new byte[SrtpNative.MaxTrailer]).ToArray();
        int l2 = copy.Length;
        Assert.Equal(SrtpNative.ErrReplayFail, rx.Unprotect(again, ref l2));
    }

    [Fact]
    public void Keying_material_splits_into_client_and_server_keys()
    {
        var km = Enumerable.Range(0, 60).Select(i => (byte)i).ToArray();
        var client = SrtpProfileInfo.MasterKey(SrtpProfile.Aes128CmHmacSha1_80, km, client: true);
        var server = SrtpProfileInfo.MasterKey(SrtpProfile.Aes128CmHmacSha1_80, km, client: false);
        Assert.Equal(km[0..16].Concat(km[32..46]), client);
        Assert.Equal(km[16..32].Concat(km[46..60]), server);
        Assert.Equal(56, SrtpProfileInfo.KeyingMaterialLength(SrtpProfile.AeadAes128Gcm));
    }
}
