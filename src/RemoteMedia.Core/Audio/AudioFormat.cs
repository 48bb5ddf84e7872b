namespace RemoteMedia;

/// <summary>The layout of interleaved audio: sample rate, channel count and sample encoding.</summary>
public readonly record struct AudioFormat(int SampleRate, int Channels, SampleFormat Sample)
{
    public const int MaxChannels = 64;
    public const int MaxSampleRate = 384_000;

    public int BytesPerSample => Sample == SampleFormat.S16 ? 2 : 4;

    public int BytesPerFrame => BytesPerSample * Channels;

    public static AudioFormat F32(int sampleRate, int channels) => new(sampleRate, channels, SampleFormat.F32);

    public static AudioFormat S16(int sampleRate, int channels) => new(sampleRate, channels, SampleFormat.S16);

    /// <summary>Frames held by <paramref name="bytes"/> bytes of this format.</summary>
    public int FramesIn(int bytes) => bytes / BytesPerFrame;

    public override string ToString() => $"{SampleRate} Hz, {Channels} ch, {Sample.Name()}";
}

/// <summary>What a node wrote: a frame count in a format.</summary>
public readonly record struct AudioChunk(int Frames, AudioFormat Format)
{
    public int ByteCount => Frames * Format.BytesPerFrame;

    public int SampleCount => Frames * Format.Channels;
}

/// <summary>The output format a node produces for an input, and the most frames one call may write.</summary>
public readonly record struct OutputShape(AudioFormat Format, int MaxFrames)
{
    public int MaxBytes => MaxFrames * Format.BytesPerFrame;
}

/// <summary>A non-audio result of a node, positioned at <paramref name="Frame"/> input frames since the last reset.</summary>
public readonly record struct NodeEvent(NodeEventKind Kind, long Frame, double Value);

public static class SampleFormatExtensions
{
    /// <summary>The name used in node configurations: f32, i16, i32.</summary>
    public static string Name(this SampleFormat format) => format switch
    {
        SampleFormat.F32 => "f32",
        SampleFormat.S16 => "i16",
        SampleFormat.S32 => "i32",
        _ => format.ToString(),
    };

    public static SampleFormat ParseSampleFormat(string name) => name switch
    {
        "f32" => SampleFormat.F32,
        "i16" => SampleFormat.S16,
        "i32" => SampleFormat.S32,
        _ => throw new ArgumentException($"sample format must be f32, i16 or i32, got '{name}'", nameof(name)),
    };
}
