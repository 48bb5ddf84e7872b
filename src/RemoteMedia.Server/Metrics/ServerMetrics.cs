using System.Diagnostics.Metrics;
using RemoteMedia.Server.Sessions;

namespace RemoteMedia.Server;

/// <summary>The server's instruments (meter "RemoteMedia.Server"), exported at /metrics.</summary>
public static class ServerMetrics
{
    public const string MeterName = "RemoteMedia.Server";
    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> SessionsStarted = Meter.CreateCounter<long>("remotemedia.sessions.started");
    public static readonly Counter<long> SignalingErrors = Meter.CreateCounter<long>("remotemedia.signaling.errors", description: "Rejected signaling messages (bad JSON, unknown type, limits)");

    public static readonly Histogram<double> PreprocessMicroseconds = Meter.CreateHistogram<double>(
        "remotemedia.preprocess.frame.duration", "us", "Pipeline time per 20 ms input frame (format, resample, VAD, segmentation)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000] });

    public static readonly Histogram<double> RecognitionMilliseconds = Meter.CreateHistogram<double>(
        "remotemedia.asr.duration", "ms", "Speech recognition time per utterance",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [10, 25, 50, 100, 250, 500, 1000, 2500, 5000] });

    public static readonly Histogram<double> SynthesisMilliseconds = Meter.CreateHistogram<double>(
        "remotemedia.tts.duration", "ms", "Speech synthesis time per reply",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [10, 25, 50, 100, 250, 500, 1000, 2500] });

    public static readonly Histogram<double> ReplyLatencyMilliseconds = Meter.CreateHistogram<double>(
        "remotemedia.reply.latency", "ms", "From the end of the caller's speech to the first reply audio frame queued",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [50, 100, 250, 500, 750, 1000, 1500, 2500, 5000] });

    /// <summary>Observable gauges over the live sessions (packet counters, session count).</summary>
    public static void Observe(SessionManager sessions)
    {
        Meter.CreateObservableGauge("remotemedia.sessions.live", () => sessions.Count);
        Meter.CreateObservableCounter("remotemedia.rtp.packets.received", () => sessions.Sessions.Sum(s => s.Stats.RtpPackets));
        Meter.CreateObservableCounter("remotemedia.rtp.packets.lost", () => sessions.Sessions.Sum(s => s.Stats.JitterLost));
        Meter.CreateObservableCounter("remotemedia.packets.dropped", () => sessions.Sessions.Sum(s =>
        {
            var x = s.Stats;
            return x.SrtpAuthFailures + x.SrtpReplays + x.SrtpOtherFailures + x.RtpMalformed + x.UnknownDatagrams + x.FromUnvalidatedAddress
                + x.StunBadUsername + x.StunBadIntegrity;
        }));
        Meter.CreateObservableCounter("remotemedia.srtp.failures", () => sessions.Sessions.Sum(s => s.Stats.SrtpAuthFailures + s.Stats.SrtpOtherFailures));
        Meter.CreateObservableGauge("remotemedia.runtime.native", () => RemoteMediaRuntime.Status.IsNativeAvailable ? 1 : 0);
    }
}
