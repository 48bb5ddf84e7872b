namespace RemoteMedia.Server;

/// <summary>Settings of the voice server, bound from the "VoiceServer" section (appsettings, environment, command line).</summary>
public sealed class VoiceServerOptions
{
    public const string Section = "VoiceServer";

    /// <summary>The HTTP address when none is configured through Urls/--urls/ASPNETCORE_URLS.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <summary>Address the per-session UDP media sockets bind to (and that the SDP answer advertises).</summary>
    public string MediaBindAddress { get; set; } = "127.0.0.1";

    /// <summary>Callers served at once; the next one gets a clear error on the WebSocket.</summary>
    public int MaxSessions { get; set; } = 20;

    /// <summary>Largest WebSocket message accepted; bigger ones close the socket with "message too big".</summary>
    public int MaxMessageBytes { get; set; } = 256 * 1024;

    /// <summary>Offers accepted per WebSocket connection per minute.</summary>
    public int MaxOffersPerMinute { get; set; } = 10;

    /// <summary>Peer declared gone when ICE consent checks stop for this long.</summary>
    public int ConsentTimeoutSeconds { get; set; } = 30;

    /// <summary>A session whose peer never connects is closed after this long.</summary>
    public int ConnectTimeoutSeconds { get; set; } = 20;

    /// <summary>
    /// When set, /ws, /connections and /metrics require this value (?token=..., or Authorization: Bearer ...).
    /// Off by default (the server binds 127.0.0.1); set it for any other bind address (SECURITY.md).
    /// </summary>
    public string? AccessToken { get; set; }

    /// <summary>
    /// Browser origins, besides this server's own page, allowed to open /ws (e.g. "https://app.example.com"; "*" for
    /// any). Empty by default: other web pages the user visits cannot place calls to this server.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>
    /// Speech decoders (pocketsphinx: tens of MB each) that recognize at once; further utterances wait for one.
    /// 0: one per core, at least 2. Recognition is CPU-bound, so more than the cores only costs memory.
    /// </summary>
    public int MaxConcurrentRecognitions { get; set; }

    /// <summary>Load the speech engines and JIT the media path at start-up rather than on the first call.</summary>
    public bool WarmUp { get; set; } = true;

    /// <summary>
    /// Benchmarks and capacity tests: run only the preprocessing pipeline per call (format, resample, VAD,
    /// utterance segmentation) and report each utterance as {type:"utterance"} instead of recognizing and answering it.
    /// </summary>
    public bool PreprocessOnly { get; set; }

    /// <summary>
    /// Export the SDK pipeline's per-node metrics (meter "RemoteMedia.Pipeline") at /metrics. Off by default: they are
    /// tagged per session, so every caller adds series that never leave, and recording them costs time on every frame.
    /// The server's own per-stage histograms (preprocessing per frame, ASR, TTS, reply latency) are always exported.
    /// </summary>
    public bool PipelineNodeMetrics { get; set; }

    /// <summary>Node runtime for the per-session pipelines: auto, native or managed.</summary>
    public RuntimeHint Runtime { get; set; } = RuntimeHint.Auto;
}
