using System.Buffers.Binary;
using System.Runtime.InteropServices;
using RemoteMedia.Audio.Wav;
using RemoteMedia.Tests.Support;

namespace RemoteMedia.Tests.Wav;

public class WavTests
{
    [Theory]
    [InlineData(SampleFormat.S16, 16000, 1)]
    [InlineData(SampleFormat.S32, 44100, 2)]
    [InlineData(SampleFormat.F32, 96000, 6)]
    public void Written_files_read_back_identically(SampleFormat sample, int rate, int channels)
    {
        var format = new AudioFormat(rate, channels, sample);
        var data = new byte[format.BytesPerFrame * 1001];
        new Random(3).NextBytes(data);
        if (sample == SampleFormat.F32)
        {
            var floats = MemoryMarshal.Cast<byte, float>(data.AsSpan());
            for (var i = 0; i < floats.Length; i++)
            {
                floats[i] = (i % 200) / 100f - 1f;
            }
        }
        using var stream = new MemoryStream();
        using (var writer = new WavWriter(stream, format, leaveOpen: true))
        {
            writer.Write(data.AsSpan(0, format.BytesPerFrame * 500));
            writer.Write(data.AsSpan(format.BytesPerFrame * 500));
        }
        stream.Position = 0;
        using var reader = WavReader.Open(stream);
        Assert.Equal(format, reader.Format);
        Assert.Equal(1001, reader.TotalFrames);
        var back = new byte[data.Length + 64];
        var read = reader.Read(back);
        Assert.Equal(data, back[..read]);
        Assert.Equal(0, reader.Read(back));
    }

    [Fact]
    public void Pcm24_is_delivered_as_left_aligned_i32()
    {
        var file = Header(formatTag: 1, channels: 1, rate: 8000, bits: 24, dataBytes: 6).Concat(new byte[] { 0x01, 0x02, 0x03, 0xFF, 0xFF, 0xFF }).ToArray();
        using var reader = WavReader.Open(new MemoryStream(file));
        Assert.Equal(new AudioFormat(8000, 1, SampleFormat.S32), reader.Format);
        Assert.Equal(24, reader.BitsPerSample);
        var output = new byte[8];
        Assert.Equal(8, reader.Read(output));
        Assert.Equal(new[] { 0x03020100, -256 }, MemoryMarshal.Cast<byte, int>(output).ToArray());
    }

    [Fact]
    public void Bundled_sample_is_readable()
    {
        using var reader = WavReader.Open(Path.Combine(RepoLayout.Root, "samples", "speech-48k-stereo.wav"));
        Assert.Equal(AudioFormat.S16(48000, 2), reader.Format);
        Assert.InRange(reader.Duration.TotalSeconds, 1, 5);
    }

    public static TheoryData<byte[], string> BadFiles() => new()
    {
        { "hello world, not a wav"u8.ToArray(), "not a RIFF/WAVE file" },
        { Array.Empty<byte>(), "not a RIFF/WAVE file" },
        { Header(1, 1, 8000, 8, 4).Concat(new byte[4]).ToArray(), "unsupported encoding" },
        { Header(2, 1, 8000, 16, 4).Concat(new byte[4]).ToArray(), "unsupported encoding" },
        { Header(1, 0, 8000, 16, 4).Concat(new byte[4]).ToArray(), "channel count" },
        { Header(1, 1, 0, 16, 4).Concat(new byte[4]).ToArray(), "sample rate" },
        { Header(1, 1, 8000, 16, 1000).Concat(new byte[10]).ToArray(), "truncated" },
        { Header(1, 1, 8000, 16, 4)[..30], "" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Bad_files_fail_with_a_clear_error(byte[] file, string mentioned)
    {
        var ex = Assert.ThrowsAny<Exception>(() => WavReader.Open(new MemoryStream(file)));
        Assert.True(ex is RemoteMediaException or EndOfStreamException, ex.GetType().Name);
        Assert.Contains(mentioned, ex.Message, StringComparison.Ordinal);
    }

    private static byte[] Header(ushort formatTag, ushort channels, int rate, ushort bits, uint dataBytes)
    {
        var h = new byte[44];
        "RIFF"u8.CopyTo(h);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(4), 36 + dataBytes);
        "WAVEfmt "u8.CopyTo(h.AsSpan(8));
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(16), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(20), formatTag);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(22), channels);
        BinaryPrimitives.WriteInt32LittleEndian(h.AsSpan(24), rate);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(34), bits);
        "data"u8.CopyTo(h.AsSpan(36));
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(40), dataBytes);
        return h;
    }
}
