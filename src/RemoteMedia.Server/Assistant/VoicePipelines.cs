using RemoteMedia.Pipeline;

namespace RemoteMedia.Server.Assistant;

/// <summary>The two pipelines of a call, built with the SDK's own Pipeline so they run native when it loads.</summary>
internal static class VoicePipelines
{
    public const int BrowserRate = 48_000;
    public const int SpeechRate = 16_000;
    public const string UtteranceNode = "utterances";
    public const string VadNode = "vad";

    /// <summary>
    /// Opus 48 kHz i16 mono -> f32 -> 16 kHz -> voice activity -> one buffer per utterance (16 kHz f32 mono).
    /// </summary>
    public static AudioPipeline Preprocessing(RuntimeHint runtime, string sessionId) =>
        AudioPipeline.CreateBuilder("voice-preprocessing")
            .Then("format", "FormatConverterNode", """{"target_format":"f32","target_channels":1}""")
            .Then("resample", "AudioResampleNode", $$"""{"target_sample_rate":{{SpeechRate}},"quality":"high"}""")
            .Then(VadNode, "VADNode", """{"frame_duration_ms":20}""")
            .Then(UtteranceNode, "VADTriggeredBuffer",
                """{"min_speech_duration_s":0.3,"max_speech_duration_s":8,"silence_duration_s":0.6,"pre_speech_buffer_s":0.3}""")
            .WithOptions(new PipelineOptions { RuntimeOverride = runtime, PipelineId = $"preprocess-{sessionId}", OutputNodeId = UtteranceNode })
            .Build();

    /// <summary>Synthesized speech (i16 mono at the engine's rate) -> f32 -> 48 kHz -> i16 for Opus.</summary>
    public static AudioPipeline Reply(RuntimeHint runtime, string sessionId) =>
        AudioPipeline.CreateBuilder("voice-reply")
            .Then("format", "FormatConverterNode", """{"target_format":"f32"}""")
            .Then("resample", "AudioResampleNode", $$"""{"target_sample_rate":{{BrowserRate}},"quality":"high"}""")
            .Then("pcm", "FormatConverterNode", """{"target_format":"i16"}""")
            .WithOptions(new PipelineOptions { RuntimeOverride = runtime, PipelineId = $"reply-{sessionId}" })
            .Build();
}
