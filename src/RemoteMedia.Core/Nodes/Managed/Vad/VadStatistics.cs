using RemoteMedia.Nodes.Native;

namespace RemoteMedia.Nodes.Managed.Vad;

/// <summary>What a VADNode reports besides its events: the original node's results.</summary>
public interface IVadStatistics
{
    /// <summary>Frames decided as speech since the last reset.</summary>
    long SpeechFrames { get; }

    /// <summary>Frames analyzed since the last reset (a partial frame is not counted).</summary>
    long TotalFrames { get; }

    /// <summary>True when any frame since the last reset was speech (the original's <c>is_speech</c>).</summary>
    bool IsSpeech { get; }

    /// <summary>True while an utterance is open (between SpeechStart and SpeechEnd).</summary>
    bool InSpeech { get; }
}

/// <summary>Reads a VADNode's statistics whichever runtime runs it.</summary>
public static class VadStatistics
{
    public static IVadStatistics Read(INodeExecutor node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node switch
        {
            ManagedVadNode managed => new Snapshot(managed.SpeechFrames, managed.TotalFrames, managed.IsSpeech, managed.InSpeech),
            NativeNode native when native.Kind == ManagedVadNode.NodeKind => new Snapshot(
                (long)native.GetProperty("speech_frames", 0),
                (long)native.GetProperty("total_frames", 0),
                native.GetProperty("is_speech", 0) != 0,
                native.GetProperty("in_speech", 0) != 0),
            _ => throw new RemoteMediaException(ErrorCode.NotSupported, $"{node.Kind} is not a {ManagedVadNode.NodeKind}"),
        };
    }

    private sealed record Snapshot(long SpeechFrames, long TotalFrames, bool IsSpeech, bool InSpeech) : IVadStatistics;
}
