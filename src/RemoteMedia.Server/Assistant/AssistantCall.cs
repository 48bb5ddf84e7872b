using System.Buffers;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using RemoteMedia.Pipeline;
using RemoteMedia.Server.Sessions;
using RemoteMedia.Speech;

namespace RemoteMedia.Server.Assistant;

/// <summary>
/// One call with the voice assistant. The media thread pushes each 20 ms frame through the preprocessing
/// pipeline (microseconds); finished utterances go to a worker that recognizes, answers, synthesizes, resamples
/// to 48 kHz with the reply pipeline and queues the reply audio for the caller.
/// </summary>
internal sealed class AssistantCall : ICallHandler
{
    private const int FrameSamples = 960;
    private readonly ICallContext call;
    private readonly AssistantServices services;
    private readonly AudioPipeline preprocessing;
    private readonly PipelineSession session;
    private readonly AudioPipeline reply;
    private readonly IResponder responder;
    private readonly Channel<Utterance> utterances = Channel.CreateBounded<Utterance>(new BoundedChannelOptions(4) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly CancellationTokenSource stop = new();
    private readonly Task worker;
    private readonly object gate = new();
    private readonly FrameTimes frameTimes = new();
    private int disposed;

    public AssistantCall(ICallContext call, AssistantServices services)
    {
        this.call = call;
        this.services = services;
        responder = services.CreateResponder();
        preprocessing = VoicePipelines.Preprocessing(services.Runtime, call.SessionId);
        reply = VoicePipelines.Reply(services.Runtime, call.SessionId);
        session = preprocessing.OpenSession(AudioFormat.S16(VoicePipelines.BrowserRate, 1), OnPipelineOutput);
        worker = Task.Run(WorkAsync);
        call.Post(new { type = "timings", runtime = RuntimeName });
    }

    private string RuntimeName => preprocessing.Nodes.All(n => n.Runtime == NodeRuntime.Native || n.Kind == "VADTriggeredBuffer") ? "native" : "managed";

    /// <summary>Media thread: real-time work only.</summary>
    public void OnAudioFrame(ReadOnlySpan<short> frame48kMono)
    {
        var start = Stopwatch.GetTimestamp();
        lock (gate)
        {
            if (disposed != 0)
            {
                return;
            }
            session.Push(MemoryMarshal.AsBytes(frame48kMono));
        }
        var microseconds = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        frameTimes.Add(microseconds);
        ServerMetrics.PreprocessMicroseconds.Record(microseconds);
    }

    /// <summary>The original client's data-channel messages: a greeting, or typed text answered like speech.</summary>
    public void OnTextMessage(string text)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(text);
            var root = doc.RootElement;
            var type = root.TryGetProperty("type", out var t) ? t.GetString() : null;
            var body = root.TryGetProperty("text", out var b) ? b.GetString() : root.TryGetProperty("message", out var m) ? m.GetString() : null;
            if (type == "greeting")
            {
                call.Post(new { type = "greeting", text = "Hello! I am the RemoteMedia assistant. Ask me to turn the lights on or off, or what time it is." });
            }
            else if (!string.IsNullOrWhiteSpace(body))
            {
                call.Post(new { type = "reply", text = responder.Respond(body.ToLowerInvariant()).Text, understood = true, in_reply_to = body });
            }
        }
        catch (System.Text.Json.JsonException)
        {
            call.Post(new { type = "error", message = "data channel messages must be JSON objects like {\"type\":\"message\",\"text\":\"...\"}" });
        }
    }

    private void OnPipelineOutput(string nodeId, AudioChunk chunk, ReadOnlySpan<byte> data)
    {
        if (nodeId != VoicePipelines.UtteranceNode || chunk.Frames == 0)
        {
            return;
        }
        if (services.PreprocessOnly)
        {
            call.Post(new { type = "utterance", audio_s = chunk.Frames / (double)chunk.Format.SampleRate, preprocess_us_per_frame = frameTimes.Median() });
            return;
        }
        // One allocation per utterance (not per frame): the worker needs the audio after this call returns.
        var samples = MemoryMarshal.Cast<byte, float>(data).ToArray();
        utterances.Writer.TryWrite(new Utterance(samples, Stopwatch.GetTimestamp()));
    }

    private async Task WorkAsync()
    {
        try
        {
            await foreach (var utterance in utterances.Reader.ReadAllAsync(stop.Token))
            {
                await AnswerAsync(utterance);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex) when (ex is RemoteMediaException or InvalidOperationException)
        {
            services.Logger.LogError(ex, "session {Session}: assistant stopped", call.SessionId);
            call.Post(new { type = "error", message = $"assistant error: {ex.Message}" });
        }
    }

    private async Task AnswerAsync(Utterance utterance)
    {
        var preprocessUs = frameTimes.Median();
        SpeechRecognitionResult heard;
        using (var lease = services.Recognizers.Rent())
        {
            heard = lease.Recognizer.Recognize(utterance.Samples);
        }
        var asrMs = heard.ProcessingTime.TotalMilliseconds;
        ServerMetrics.RecognitionMilliseconds.Record(asrMs);
        if (heard.IsEmpty)
        {
            call.Post(new { type = "timings", preprocess_us_per_frame = preprocessUs, asr_ms = asrMs, runtime = RuntimeName });
            return;
        }
        call.Post(new { type = "transcript", text = heard.Text, confidence = heard.Confidence, audio_s = heard.AudioDuration.TotalSeconds });
        var answer = responder.Respond(heard.Text);
        call.Post(new { type = "reply", text = answer.Text, understood = answer.Understood });

        var ttsStart = Stopwatch.GetTimestamp();
        var speech = services.Synthesize(answer.Text);
        var ttsMs = Stopwatch.GetElapsedTime(ttsStart).TotalMilliseconds;
        ServerMetrics.SynthesisMilliseconds.Record(ttsMs);

        var pcm = reply.Run(speech.Format, MemoryMarshal.AsBytes(speech.Samples.AsSpan()));
        var replyLatencyMs = await SendAsync(MemoryMarshal.Cast<byte, short>(pcm.Output.AsSpan()).ToArray(), utterance.EndedAt);
        ServerMetrics.ReplyLatencyMilliseconds.Record(replyLatencyMs);
        call.Post(new
        {
            type = "timings",
            preprocess_us_per_frame = preprocessUs,
            asr_ms = asrMs,
            tts_ms = ttsMs,
            reply_latency_ms = replyLatencyMs,
            runtime = RuntimeName,
        });
    }

    /// <summary>Queues the reply in 20 ms frames, waiting while the peer's send queue is full; returns ms from speech end to the first frame.</summary>
    private async Task<double> SendAsync(short[] pcm, long speechEndedAt)
    {
        var firstFrameMs = -1.0;
        var frame = ArrayPool<short>.Shared.Rent(FrameSamples);
        try
        {
            for (var offset = 0; offset < pcm.Length && !stop.IsCancellationRequested; offset += FrameSamples)
            {
                var count = Math.Min(FrameSamples, pcm.Length - offset);
                pcm.AsSpan(offset, count).CopyTo(frame);
                frame.AsSpan(count, FrameSamples - count).Clear();
                while (!call.WriteAudioFrame(frame.AsSpan(0, FrameSamples)))
                {
                    await Task.Delay(20, stop.Token);
                }
                if (firstFrameMs < 0)
                {
                    firstFrameMs = Stopwatch.GetElapsedTime(speechEndedAt).TotalMilliseconds;
                }
            }
        }
        finally
        {
            ArrayPool<short>.Shared.Return(frame);
        }
        return firstFrameMs;
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (Interlocked.Exchange(ref disposed, 1) != 0)
            {
                return;
            }
        }
        stop.Cancel();
        utterances.Writer.TryComplete();
        try
        {
            worker.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The worker reports its own failures.
        }
        session.Dispose();
        preprocessing.Dispose();
        reply.Dispose();
        stop.Dispose();
    }

    private sealed record Utterance(float[] Samples, long EndedAt);
}
