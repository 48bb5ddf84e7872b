using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RemoteMedia.Server.Assistant;

namespace RemoteMedia.Server.Tests;

public sealed class AssistantSettingsTests
{
    [Fact]
    public void A_negative_decoder_count_is_refused_naming_the_setting()
    {
        var options = Options.Create(new VoiceServerOptions { MaxConcurrentRecognitions = -1 });
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new AssistantServices(options, NullLogger<AssistantServices>.Instance));
        Assert.Contains("VoiceServer:MaxConcurrentRecognitions", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, -1)]
    [InlineData(3, 3)]
    public void The_decoder_pool_is_sized_from_the_setting_or_the_cores(int setting, int expected)
    {
        using var services = new AssistantServices(Options.Create(new VoiceServerOptions { MaxConcurrentRecognitions = setting }), NullLogger<AssistantServices>.Instance);
        Assert.Equal(expected > 0 ? expected : Math.Max(2, Environment.ProcessorCount), services.Recognizers.MaxRecognizers);
    }
}
