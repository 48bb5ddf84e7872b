using System.Buffers.Binary;

namespace RemoteMedia.Audio.Wav;

/// <summary>
/// Writes a RIFF/WAVE file: i16 as PCM 16-bit, i32 as PCM 32-bit, f32 as IEEE float32. The header's
/// sizes are patched on dispose, so samples can be streamed in any number of writes.
/// </summary>
public sealed class WavWriter : IDisposable
{
    private readonly int headerBytes;
    private readonly Stream stream;
    private readonly bool leaveOpen;
    private long dataBytes;
    private bool disposed;

    public WavWriter(Stream stream, AudioFormat format, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            throw new ArgumentException("the WAV writer needs a seekable stream to patch the header", nameof(stream));
        }
        this.stream = stream;
        this.leaveOpen = leaveOpen;
        Format = format;
        // Float files carry the 18-byte fmt chunk (with a zero cbSize) that readers expect for non-PCM tags.
        headerBytes = format.Sample == SampleFormat.F32 ? 46 : 44;
        WriteHeader();
    }

    public AudioFormat Format { get; }

    public static WavWriter Create(string path, AudioFormat format) => new(File.Create(path), format);

    /// <summary>Appends interleaved samples in <see cref="Format"/>.</summary>
    public void Write(ReadOnlySpan<byte> samples)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (samples.Length % Format.BytesPerFrame != 0)
        {
            throw new ArgumentException($"{samples.Length} bytes is not a whole number of {Format.BytesPerFrame}-byte frames", nameof(samples));
        }
        stream.Write(samples);
        dataBytes += samples.Length;
    }

    /// <summary>Writes a whole file in one call.</summary>
    public static void WriteAll(string path, AudioFormat format, ReadOnlySpan<byte> samples)
    {
        using var writer = Create(path, format);
        writer.Write(samples);
    }

    private void WriteHeader()
    {
        Span<byte> h = stackalloc byte[headerBytes];
        h.Clear();
        var riffSize = (uint)Math.Min(uint.MaxValue, headerBytes - 8 + dataBytes);
        "RIFF"u8.CopyTo(h);
        BinaryPrimitives.WriteUInt32LittleEndian(h[4..], riffSize);
        "WAVEfmt "u8.CopyTo(h[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(h[16..], (uint)(headerBytes - 28));
        BinaryPrimitives.WriteUInt16LittleEndian(h[20..], (ushort)(Format.Sample == SampleFormat.F32 ? 3 : 1));
        BinaryPrimitives.WriteUInt16LittleEndian(h[22..], (ushort)Format.Channels);
        BinaryPrimitives.WriteInt32LittleEndian(h[24..], Format.SampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(h[28..], Format.SampleRate * Format.BytesPerFrame);
        BinaryPrimitives.WriteUInt16LittleEndian(h[32..], (ushort)Format.BytesPerFrame);
        BinaryPrimitives.WriteUInt16LittleEndian(h[34..], (ushort)(Format.BytesPerSample * 8));
        var data = headerBytes - 8;
        "data"u8.CopyTo(h[data..]);
        BinaryPrimitives.WriteUInt32LittleEndian(h[(data + 4)..], (uint)Math.Min(uint.MaxValue, dataBytes));
        stream.Write(h);
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }
        disposed = true;
        var end = stream.Position;
        stream.Position = 0;
        WriteHeader();
        stream.Position = end;
        stream.Flush();
        if (!leaveOpen)
        {
            stream.Dispose();
        }
    }
}
