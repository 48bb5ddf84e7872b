namespace RemoteMedia.Speech.Interop;

/// <summary>f32 to i16 for engines that only take 16-bit PCM, rejecting samples that would decode as garbage.</summary>
internal static class SampleConversion
{
    /// <summary>
    /// Converts <paramref name="source"/> into the start of <paramref name="destination"/> (which must be at
    /// least as long). Values outside [-1, 1] are clipped; NaN and infinities are an error because they
    /// mean the upstream stage is broken, and silently clipping them would hide it.
    /// </summary>
    public static void ToInt16(ReadOnlySpan<float> source, Span<short> destination, long firstSampleIndex)
    {
        for (var i = 0; i < source.Length; i++)
        {
            var value = source[i];
            if (!float.IsFinite(value))
            {
                throw new RemoteMediaException(ErrorCode.InvalidArgument,
                    $"audio sample {firstSampleIndex + i} is {value}: speech input must be finite f32 in [-1, 1]");
            }
            destination[i] = (short)Math.Round(Math.Clamp(value, -1f, 1f) * short.MaxValue);
        }
    }
}
