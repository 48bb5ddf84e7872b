namespace RemoteMedia.Pipeline.Nodes;

/// <summary>
/// A FIFO of bytes over one reusable array: appends at the end, consumes from the front, compacts in place.
/// It grows only when a larger backlog than ever before appears, so the steady state does not allocate.
/// </summary>
internal sealed class ByteQueue(int initialCapacity)
{
    private byte[] buffer = new byte[Math.Max(initialCapacity, 16)];
    private int start;
    private int end;

    public int Count => end - start;

    public ReadOnlySpan<byte> Data => buffer.AsSpan(start, end - start);

    public void Append(ReadOnlySpan<byte> data)
    {
        if (end + data.Length > buffer.Length)
        {
            Compact();
            if (end + data.Length > buffer.Length)
            {
                Array.Resize(ref buffer, Math.Max(buffer.Length * 2, end + data.Length));
            }
        }
        data.CopyTo(buffer.AsSpan(end));
        end += data.Length;
    }

    public void Consume(int bytes)
    {
        start += bytes;
        if (start == end)
        {
            start = end = 0;
        }
    }

    public void Clear() => start = end = 0;

    private void Compact()
    {
        if (start == 0)
        {
            return;
        }
        buffer.AsSpan(start, end - start).CopyTo(buffer);
        end -= start;
        start = 0;
    }
}
