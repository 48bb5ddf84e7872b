using RemoteMedia.Server.Sessions;

namespace RemoteMedia.Server.Tests;

/// <summary>A call handler that counts frames and does nothing else: signaling tests need no speech stack.</summary>
public sealed class QuietCallHandlers : ICallHandlerFactory
{
    private int live;

    public int Live => Volatile.Read(ref live);

    public ICallHandler Create(ICallContext context)
    {
        Interlocked.Increment(ref live);
        return new Handler(this);
    }

    private sealed class Handler(QuietCallHandlers owner) : ICallHandler
    {
        public void OnAudioFrame(ReadOnlySpan<short> frame48kMono)
        {
        }

        public void OnTextMessage(string text)
        {
        }

        public void Dispose() => Interlocked.Decrement(ref owner.live);
    }
}
