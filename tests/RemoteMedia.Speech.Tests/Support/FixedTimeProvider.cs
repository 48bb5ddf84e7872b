namespace RemoteMedia.Speech.Tests.Support;

/// <summary>A clock stopped at one instant, in UTC, so time and day answers are predictable.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}
