using System.Collections.Concurrent;

namespace RemoteMedia.Speech;

/// <summary>
/// Shares a fixed number of recognizers among sessions. A decoder costs tens of milliseconds to create and megabytes
/// of model, and recognition is CPU-bound: more decoders than cores only add memory. So at most
/// <see cref="MaxRecognizers"/> exist, created on first need (or by <see cref="Warm"/>) and kept until the pool is
/// disposed; a caller that finds them all busy waits for one. A server's memory then stops at a known ceiling instead
/// of stepping up (and fragmenting the native heap) whenever more callers than usual speak at once. Thread-safe.
/// </summary>
public sealed class SpeechRecognizerPool : IDisposable
{
    private readonly Func<ISpeechRecognizer> factory;
    private readonly ConcurrentBag<ISpeechRecognizer> idle = [];
    private readonly SemaphoreSlim available;
    private readonly Lock creating = new();
    private int created;
    private int idleCount;
    private volatile bool disposed;

    public SpeechRecognizerPool(Func<ISpeechRecognizer> factory, int maxRecognizers = 4)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecognizers, 1);
        this.factory = factory;
        MaxRecognizers = maxRecognizers;
        available = new SemaphoreSlim(maxRecognizers, maxRecognizers);
    }

    /// <summary>The most recognizers that exist (and recognize) at once.</summary>
    public int MaxRecognizers { get; }

    public int IdleCount => Volatile.Read(ref idleCount);

    /// <summary>Recognizers created so far; never more than <see cref="MaxRecognizers"/>.</summary>
    public int CreatedCount => Volatile.Read(ref created);

    /// <summary>Creates up to <paramref name="count"/> recognizers now so that no caller waits for model loading.</summary>
    public void Warm(int count)
    {
        while (true)
        {
            lock (creating)
            {
                ObjectDisposedException.ThrowIf(disposed, this);
                if (created >= Math.Min(count, MaxRecognizers))
                {
                    return;
                }
                idle.Add(factory());
                created++;
                Interlocked.Increment(ref idleCount);
            }
        }
    }

    /// <summary>Blocks until a recognizer is free.</summary>
    public RecognizerLease Rent()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        available.Wait();
        return Take();
    }

    /// <summary>Waits until a recognizer is free, or <paramref name="cancel"/> fires.</summary>
    public async ValueTask<RecognizerLease> RentAsync(CancellationToken cancel = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        await available.WaitAsync(cancel).ConfigureAwait(false);
        return Take();
    }

    public void Dispose()
    {
        lock (creating)
        {
            disposed = true;
        }
        while (idle.TryTake(out var recognizer))
        {
            Interlocked.Decrement(ref idleCount);
            recognizer.Dispose();
        }
    }

    internal void Return(ISpeechRecognizer recognizer)
    {
        recognizer.CancelUtterance(); // the next caller starts clean
        if (disposed)
        {
            recognizer.Dispose();
        }
        else
        {
            idle.Add(recognizer);
            Interlocked.Increment(ref idleCount);
        }
        available.Release();
    }

    /// <summary>With a slot held: an idle recognizer, else a new one (the slot guarantees the ceiling).</summary>
    private RecognizerLease Take()
    {
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (idle.TryTake(out var recognizer))
            {
                Interlocked.Decrement(ref idleCount);
                return new RecognizerLease(this, recognizer);
            }
            lock (creating)
            {
                // Warm may have added one since the look above; it adds under this lock, so looking again here keeps
                // created == idle + leased <= MaxRecognizers.
                ObjectDisposedException.ThrowIf(disposed, this);
                if (idle.TryTake(out recognizer))
                {
                    Interlocked.Decrement(ref idleCount);
                }
                else
                {
                    recognizer = factory();
                    created++;
                }
            }
            return new RecognizerLease(this, recognizer);
        }
        catch
        {
            available.Release();
            throw;
        }
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
