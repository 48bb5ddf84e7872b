using System.Collections.Concurrent;

namespace RemoteMedia.Speech;

/// <summary>
/// Reuses recognizers across sessions, because creating a decoder costs tens of milliseconds and
/// megabytes of model. Thread-safe. A rented recognizer belongs to one caller until its lease is
/// disposed; at most <see cref="MaxIdle"/> idle recognizers are kept, the rest are disposed.
/// </summary>
public sealed class SpeechRecognizerPool : IDisposable
{
    private readonly Func<ISpeechRecognizer> factory;
    private readonly ConcurrentBag<ISpeechRecognizer> idle = [];
    private int idleCount;
    private bool disposed;

    public SpeechRecognizerPool(Func<ISpeechRecognizer> factory, int maxIdle = 4)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentOutOfRangeException.ThrowIfNegative(maxIdle);
        this.factory = factory;
        MaxIdle = maxIdle;
    }

    public int MaxIdle { get; }

    public int IdleCount => Volatile.Read(ref idleCount);

    /// <summary>Creates <paramref name="count"/> recognizers now so the first callers do not wait for model loading.</summary>
    public void Warm(int count)
    {
        for (var i = 0; i < Math.Min(count, MaxIdle); i++)
        {
            Return(factory());
        }
    }

    public RecognizerLease Rent()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (idle.TryTake(out var recognizer))
        {
            Interlocked.Decrement(ref idleCount);
            return new RecognizerLease(this, recognizer);
        }
        return new RecognizerLease(this, factory());
    }

    public void Dispose()
    {
        disposed = true;
        while (idle.TryTake(out var recognizer))
        {
            Interlocked.Decrement(ref idleCount);
            recognizer.Dispose();
        }
    }

    internal void Return(ISpeechRecognizer recognizer)
    {
        recognizer.CancelUtterance(); // the next caller starts clean
        if (disposed || Interlocked.Increment(ref idleCount) > MaxIdle)
        {
            if (!disposed)
            {
                Interlocked.Decrement(ref idleCount);
            }
            recognizer.Dispose();
            return;
        }
        idle.Add(recognizer);
    }
}

/// <summary>One caller's use of a pooled recognizer; disposing it gives the recognizer back.</summary>
public sealed class RecognizerLease : IDisposable
{
    private readonly SpeechRecognizerPool pool;
    private ISpeechRecognizer? recognizer;

    internal RecognizerLease(SpeechRecognizerPool pool, ISpeechRecognizer recognizer)
    {
        this.pool = pool;
        this.recognizer = recognizer;
    }

    public ISpeechRecognizer Recognizer => recognizer ?? throw new ObjectDisposedException(nameof(RecognizerLease));

    public void Dispose()
    {
        var returned = Interlocked.Exchange(ref recognizer, null);
        if (returned is not null)
        {
            pool.Return(returned);
        }
    }
}
