using System.Buffers.Binary;
using System.Text;

namespace RemoteMedia.Audio.Wav;

/// <summary>
/// Streams the samples of a RIFF/WAVE file: PCM 16/24/32-bit and IEEE float32, plain or
/// WAVE_FORMAT_EXTENSIBLE, any rate and channel count. 24-bit samples are delivered as i32
/// (left-aligned), everything else in its own encoding. Anything else is a clear error.
/// </summary>
public sealed class WavReader : IDisposable
{
    private const ushort FormatPcm = 1;
    private const ushort FormatFloat = 3;
    private const ushort FormatExtensible = 0xFFFE;

    private readonly Stream stream;
    private readonly bool leaveOpen;
    private readonly byte[] packed24 = [];
    private long remainingBytes;

    private WavReader(Stream stream, bool leaveOpen, AudioFormat format, int bitsPerSample, long dataBytes)
    {
        this.stream = stream;
        this.leaveOpen = leaveOpen;
        Format = format;
        BitsPerSample = bitsPerSample;
        remainingBytes = dataBytes;
        TotalFrames = dataBytes / (bitsPerSample / 8 * format.Channels);
        if (bitsPerSample == 24)
        {
            packed24 = new byte[3 * 4096];
        }
    }

    /// <summary>The format samples are delivered in (24-bit files come out as i32).</summary>
    public AudioFormat Format { get; }

    /// <summary>Bits per sample as stored in the file.</summary>
    public int BitsPerSample { get; }

    public long TotalFrames { get; }

    public TimeSpan Duration => TimeSpan.FromSeconds((double)TotalFrames / Format.SampleRate);

    public static WavReader Open(string path) => Open(File.OpenRead(path), leaveOpen: false, path);

    public static WavReader Open(Stream stream, bool leaveOpen = false, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            return ReadHeader(stream, leaveOpen, name ?? "input");
        }
        catch
        {
            if (!leaveOpen)
            {
                stream.Dispose();
            }
            throw;
        }
    }

    /// <summary>Reads the whole file into memory.</summary>
    public static (AudioFormat Format, byte[] Data) ReadAll(string path)
    {
        using var reader = Open(path);
        var data = new byte[checked((int)(reader.TotalFrames * reader.Format.BytesPerFrame))];
        var read = reader.Read(data);
        return (reader.Format, data[..read]);
    }

    /// <summary>Fills <paramref name="destination"/> with whole frames; returns bytes written, 0 at the end.</summary>
    public int Read(Span<byte> destination)
    {
        var frameBytes = Format.BytesPerFrame;
        var maxFrames = destination.Length / frameBytes;
        if (BitsPerSample == 24)
        {
            return Read24(destination, maxFrames);
        }
        var want = (int)Math.Min(remainingBytes, (long)maxFrames * frameBytes);
        var total = 0;
        while (total < want)
        {
            var n = stream.Read(destination[total..want]);
            if (n == 0)
            {
                throw Truncated();
            }
            total += n;
        }
        remainingBytes -= total;
        return total;
    }

    private int Read24(Span<byte> destination, int maxFrames)
    {
        var channels = Format.Channels;
        var written = 0;
        while (maxFrames > 0 && remainingBytes > 0)
        {
            var frames = (int)Math.Min(Math.Min(maxFrames, packed24.Length / (3 * channels)), remainingBytes / (3 * channels));
            var bytes = frames * 3 * channels;
            stream.ReadExactly(packed24.AsSpan(0, bytes));
            for (var i = 0; i < frames * channels; i++)
            {
                var value = (packed24[3 * i] << 8) | (packed24[(3 * i) + 1] << 16) | (packed24[(3 * i) + 2] << 24);
                BinaryPrimitives.WriteInt32LittleEndian(destination[(written + (4 * i))..], value);
            }
            written += frames * channels * 4;
            remainingBytes -= bytes;
            maxFrames -= frames;
        }
        return written;
    }

    private RemoteMediaException Truncated() =>
        RemoteMediaException.InvalidArgument($"WAV data is truncated: {remainingBytes} bytes of sample data are missing");

    private static WavReader ReadHeader(Stream stream, bool leaveOpen, string name)
    {
        Span<byte> header = stackalloc byte[12];
        if (stream.ReadAtLeast(header, 12, throwOnEndOfStream: false) < 12
            || !header[..4].SequenceEqual("RIFF"u8) || !header[8..12].SequenceEqual("WAVE"u8))
        {
            throw Invalid(name, "not a RIFF/WAVE file");
        }
        ushort formatTag = 0, channels = 0, bits = 0;
        var rate = 0;
        var haveFormat = false;
        Span<byte> chunk = stackalloc byte[8];
        while (true)
        {
            if (stream.ReadAtLeast(chunk, 8, throwOnEndOfStream: false) < 8)
            {
                throw Invalid(name, haveFormat ? "no data chunk" : "no fmt chunk");
            }
            var id = Encoding.ASCII.GetString(chunk[..4]);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
            if (id == "fmt ")
            {
                if (size is < 16 or > 1024)
                {
                    throw Invalid(name, $"fmt chunk has an invalid size {size}");
                }
                var fmt = new byte[size + (size & 1)];
                if (stream.ReadAtLeast(fmt, (int)size, throwOnEndOfStream: false) < size)
                {
                    throw Invalid(name, $"fmt chunk is truncated: it declares {size} bytes");
                }
                formatTag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
                channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt.AsSpan(2));
                rate = BinaryPrimitives.ReadInt32LittleEndian(fmt.AsSpan(4));
                bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt.AsSpan(14));
                if (formatTag == FormatExtensible && size >= 40)
                {
                    formatTag = BinaryPrimitives.ReadUInt16LittleEndian(fmt.AsSpan(24));
                }
                haveFormat = true;
            }
            else if (id == "data")
            {
                if (!haveFormat)
                {
                    throw Invalid(name, "data chunk before fmt chunk");
                }
                var format = Describe(name, formatTag, channels, rate, bits);
                long dataBytes = size;
                var frameBytes = bits / 8 * channels;
                if (stream.CanSeek)
                {
                    var available = stream.Length - stream.Position;
                    if (size is 0 or uint.MaxValue)
                    {
                        dataBytes = available; // written by a streaming encoder that never patched the size
                    }
                    else if (available < size)
                    {
                        throw Invalid(name, $"truncated: the data chunk declares {size} bytes but only {available} are present");
                    }
                }
                dataBytes -= dataBytes % frameBytes;
                return new WavReader(stream, leaveOpen, format, bits, dataBytes);
            }
            else
            {
                Skip(stream, size + (size & 1), name);
            }
        }
    }

    private static AudioFormat Describe(string name, ushort formatTag, ushort channels, int rate, ushort bits)
    {
        if (channels is < 1 or > AudioFormat.MaxChannels)
        {
            throw Invalid(name, $"unsupported channel count {channels} (1..{AudioFormat.MaxChannels})");
        }
        if (rate is < 1 or > AudioFormat.MaxSampleRate)
        {
            throw Invalid(name, $"unsupported sample rate {rate} Hz");
        }
        var sample = (formatTag, bits) switch
        {
            (FormatPcm, 16) => SampleFormat.S16,
            (FormatPcm, 24) or (FormatPcm, 32) => SampleFormat.S32,
            (FormatFloat, 32) => SampleFormat.F32,
            _ => throw Invalid(name, $"unsupported encoding (format tag {formatTag}, {bits} bits); supported: PCM 16/24/32-bit and float32"),
        };
        return new AudioFormat(rate, channels, sample);
    }

    private static void Skip(Stream stream, long bytes, string name)
    {
        if (stream.CanSeek)
        {
            if (stream.Position + bytes > stream.Length)
            {
                throw Invalid(name, "truncated chunk");
            }
            stream.Seek(bytes, SeekOrigin.Current);
            return;
        }
        var buffer = new byte[4096];
        while (bytes > 0)
        {
            var n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, bytes));
            if (n == 0)
            {
                throw Invalid(name, "truncated chunk");
            }
            bytes -= n;
        }
    }

    private static RemoteMediaException Invalid(string name, string reason) =>
        new(ErrorCode.UnsupportedFormat, $"{name}: {reason}");

    public void Dispose()
    {
        if (!leaveOpen)
        {
            stream.Dispose();
        }
    }
}
