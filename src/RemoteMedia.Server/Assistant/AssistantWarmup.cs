using System.Diagnostics;
using Microsoft.Extensions.Options;
using System.Runtime.InteropServices;
using RemoteMedia.Pipeline;

namespace RemoteMedia.Server.Assistant;

/// <summary>
/// Pays the one-time costs at start-up instead of on the first caller's first words: JIT of the pipeline path,
/// the first native calls, a pocketsphinx decoder (model load) and espeak-ng's initialization.
/// </summary>
internal sealed class AssistantWarmup(AssistantServices services, IOptions<VoiceServerOptions> options, ILogger<AssistantWarmup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.WarmUp)
        {
            return Task.CompletedTask;
        }
        _ = Task.Run(() =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                using (var pipeline = VoicePipelines.Preprocessing(services.Runtime, "warmup"))
                using (var session = pipeline.OpenSession(AudioFormat.S16(VoicePipelines.BrowserRate, 1), (_, _, _) => { }))
                {
                    var frame = new short[960];
                    for (var i = 0; i < 100; i++)
                    {
                        session.Push(MemoryMarshal.AsBytes(frame.AsSpan()));
                    }
                }
                services.Recognizers.Warm(services.Recognizers.MaxRecognizers);
                var speech = services.Synthesize("ready");
                using var reply = VoicePipelines.Reply(services.Runtime, "warmup");
                reply.Run(speech.Format, MemoryMarshal.AsBytes(speech.Samples.AsSpan()));
                logger.LogInformation("assistant warmed up in {Ms:F0} ms", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            catch (Exception ex) when (ex is RemoteMediaException or InvalidOperationException or DllNotFoundException)
            {
                // Calls will report the same problem to the caller; the server itself stays up (signaling, /health).
                logger.LogError(ex, "assistant warm-up failed: speech features will not work");
            }
        }, cancellationToken);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
