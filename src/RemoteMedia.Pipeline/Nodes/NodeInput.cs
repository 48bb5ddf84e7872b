namespace RemoteMedia.Pipeline.Nodes;

/// <summary>Input checks of the pipeline's node kinds, with the messages the SDK's own nodes use.</summary>
internal static class NodeInput
{
    public static int WholeFrames(AudioFormat format, int bytes, string kind)
    {
        if (format.Channels is < 1 or > AudioFormat.MaxChannels || format.SampleRate is < 1 or > AudioFormat.MaxSampleRate || !Enum.IsDefined(format.Sample))
        {
            throw new RemoteMediaException(ErrorCode.InvalidArgument, $"{kind}: invalid input format ({format})");
        }
        if (bytes % format.BytesPerFrame != 0)
        {
            throw new RemoteMediaException(ErrorCode.InvalidArgument,
                $"{kind}: input holds {bytes} bytes, not a whole number of {format.BytesPerFrame}-byte frames ({format})");
        }
        return bytes / format.BytesPerFrame;
    }

    public static void EnsureCapacity(int needed, int available, string kind)
    {
        if (needed > available)
        {
            throw new RemoteMediaException(ErrorCode.BufferTooSmall, $"{kind}: output needs {needed} bytes, buffer holds {available} bytes");
        }
    }

    /// <summary>A node that keeps audio between calls accepts one format per stream.</summary>
    public static void EnsureSameStream(AudioFormat? established, AudioFormat format, string kind)
    {
        if (established is { } fixedFormat && fixedFormat != format)
        {
            throw new RemoteMediaException(ErrorCode.StreamMismatch,
                $"{kind}: the stream changed format mid-stream from {fixedFormat} to {format}; reset the node first");
        }
    }
}
