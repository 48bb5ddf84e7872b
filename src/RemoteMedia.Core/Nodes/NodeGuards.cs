namespace RemoteMedia.Nodes;

/// <summary>Input checks shared by every node, with the same messages as the native side.</summary>
internal static class NodeGuards
{
    public static int WholeFrames(AudioFormat format, int bytes, string kind)
    {
        ValidateFormat(format, kind);
        if (bytes % format.BytesPerFrame != 0)
        {
            throw RemoteMediaException.InvalidArgument(
                $"{kind}: input holds {bytes} bytes, not a whole number of {format.BytesPerFrame}-byte frames ({format})");
        }
        return bytes / format.BytesPerFrame;
    }

    public static void ValidateFormat(AudioFormat format, string kind)
    {
        if (!Enum.IsDefined(format.Sample))
        {
            throw RemoteMediaException.InvalidArgument($"{kind}: unknown sample format {(int)format.Sample}");
        }
        if (format.Channels is < 1 or > AudioFormat.MaxChannels)
        {
            throw RemoteMediaException.InvalidArgument($"{kind}: channel count must be 1..={AudioFormat.MaxChannels}, got {format.Channels}");
        }
        if (format.SampleRate is < 1 or > AudioFormat.MaxSampleRate)
        {
            throw RemoteMediaException.InvalidArgument($"{kind}: sample rate must be 1..={AudioFormat.MaxSampleRate} Hz, got {format.SampleRate}");
        }
    }

    public static void EnsureCapacity(int needed, int available, AudioFormat output, string kind)
    {
        if (needed > available)
        {
            throw new RemoteMediaException(ErrorCode.BufferTooSmall,
                $"{kind}: output needs {needed / output.BytesPerFrame} frames x {output.Channels} channels of {output.Sample.Name()} ({needed} bytes), buffer holds {available} bytes");
        }
    }
}
