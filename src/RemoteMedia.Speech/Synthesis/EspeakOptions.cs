namespace RemoteMedia.Speech;

/// <summary>Voice settings of an <see cref="EspeakSynthesizer"/>.</summary>
public sealed record EspeakOptions
{
    public const int MinimumRate = 80;
    public const int MaximumRate = 450;

    /// <summary>An espeak-ng voice name such as <c>en-us</c>, <c>en-gb</c> or <c>en-us+f2</c>.</summary>
    public string Voice { get; init; } = "en-us";

    /// <summary>Speaking rate in words per minute, 80..450 (espeak's normal is 175; 150 is easier to follow on a call).</summary>
    public int WordsPerMinute { get; init; } = 150;

    /// <summary>Base pitch 0..100, 50 is normal.</summary>
    public int Pitch { get; init; } = 50;

    /// <summary>Amplitude 0..200, 100 is normal.</summary>
    public int Volume { get; init; } = 100;

    /// <summary>
    /// The folder that holds <c>espeak-ng-data</c>, or null for the library's built-in default (Debian's
    /// espeak-ng-data package). espeak-ng is initialized once per process, so every synthesizer must agree.
    /// </summary>
    public string? DataPath { get; init; }

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Voice))
        {
            throw new RemoteMediaException(ErrorCode.InvalidConfig, "EspeakOptions.Voice is empty: give a voice name such as en-us");
        }
        Require(WordsPerMinute, MinimumRate, MaximumRate, nameof(WordsPerMinute));
        Require(Pitch, 0, 100, nameof(Pitch));
        Require(Volume, 0, 200, nameof(Volume));
    }

    private static void Require(int value, int minimum, int maximum, string name)
    {
        if (value < minimum || value > maximum)
        {
            throw new RemoteMediaException(ErrorCode.InvalidConfig, $"EspeakOptions.{name} must be in {minimum}..{maximum}, got {value}");
        }
    }
}
