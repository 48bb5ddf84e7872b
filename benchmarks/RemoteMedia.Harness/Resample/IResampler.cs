namespace RemoteMedia.Harness.Resample;

/// <summary>A stateful mono f32 resampler under test; every row of the table is one of these (or a Python peer).</summary>
internal interface IResampler : IDisposable
{
    /// <summary>Consumes all of <paramref name="input"/>; returns the output samples written.</summary>
    int Process(ReadOnlySpan<float> input, Span<float> output);

    /// <summary>Ends the stream and writes the tail; returns the samples written.</summary>
    int Flush(Span<float> output);
}

/// <summary>One row: a name, a group for the table, and how to make a resampler from input to output rate.</summary>
internal sealed record Contestant(string Name, string Group, Func<int, int, IResampler> Create);
