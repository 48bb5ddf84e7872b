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
/// pipeline (microseconds); finished utterances go to a worker that recognizes, answers, synthesizes, and streams
/// the reply through the 48 kHz reply pipeline to the caller frame by frame.
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
    private readonly Channel<Utterance> utterances = Channel.CreateBounded<Utterance>(
        new BoundedChannelOptions(4) { FullMode = BoundedChannelFullMode.DropOldest }, dropped => dropped.Release());
    private readonly CancellationTokenSource stop = new();
    private readonly Task worker;
    private readonly object gate = new();
    private readonly FrameTimes frameTimes = new();
    private readonly short[] replyFrame = new short[FrameSamples];
    private readonly short[] replyBacklog = new short[8 * FrameSamples]; // 48 kHz reply samples not yet sent as frames
    private int replyBacklogCount;
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
        // The worker needs the audio after this call returns: a pooled copy, given back once it is recognized.
        var samples = MemoryMarshal.Cast<byte, float>(data);
        var copy = ArrayPool<float>.Shared.Rent(samples.Length);
        samples.CopyTo(copy);
        var utterance = new Utterance(copy, samples.Length, Stopwatch.GetTimestamp());
        if (!utterances.Writer.TryWrite(utterance))
        {
            utterance.Release(); // the call is ending
        }
    }

    private async Task WorkAsync()
    {
        try
        {
            await foreach (var utterance in utterances.Reader.ReadAllAsync(stop.Token))
            {
                await AnswerAsync(utterance);
            }
            while (utterances.Reader.TryRead(out var left))
            {
                left.Release();
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
        try
        {
            using var lease = await services.Recognizers.RentAsync(stop.Token);
            heard = lease.Recognizer.Recognize(utterance.Samples);
        }
        finally
        {
            utterance.Release();
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

        var replyLatencyMs = await SpeakAsync(speech, utterance.EndedAt);
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

    /// <summary>
    /// Streams the reply: 20 ms of synthesized speech at a time through the reply pipeline, each 48 kHz frame to the
    /// caller as soon as it exists (waiting while the peer's send queue is full), so the first words leave before the
    /// rest is resampled and no call holds its whole reply at 48 kHz. Returns ms from speech end to the first frame.
    /// </summary>
    private async Task<double> SpeakAsync(SynthesizedSpeech speech, long speechEndedAt)
    {
        var firstFrameMs = -1.0;
        var chunk = Math.Max(1, speech.Format.SampleRate / 50) * speech.Format.Channels;
        replyBacklogCount = 0;
        using (var session = reply.OpenSession(speech.Format, OnReplyOutput))
        {
            for (var offset = 0; offset < speech.Samples.Length && !stop.IsCancellationRequested; offset += chunk)
            {
                session.Push(MemoryMarshal.AsBytes(speech.Samples.AsSpan(offset, Math.Min(chunk, speech.Samples.Length - offset))));
                firstFrameMs = await SendReplyFramesAsync(endOfReply: false, firstFrameMs, speechEndedAt);
            }
            if (stop.IsCancellationRequested)
            {
                return firstFrameMs;
            }
            session.Finish();
        }
        return await SendReplyFramesAsync(endOfReply: true, firstFrameMs, speechEndedAt);
    }

    private void OnReplyOutput(string nodeId, AudioChunk chunk, ReadOnlySpan<byte> data)
    {
        var samples = MemoryMarshal.Cast<byte, short>(data);
        if (replyBacklogCount + samples.Length > replyBacklog.Length)
        {
            throw new InvalidOperationException($"reply pipeline produced {samples.Length} samples at once; the frame backlog holds {replyBacklog.Length - replyBacklogCount} more");
        }
        samples.CopyTo(replyBacklog.AsSpan(replyBacklogCount));
        replyBacklogCount += samples.Length;
    }

    /// <summary>Sends every whole 20 ms frame in the backlog (and, at the end, the last partial one padded with silence).</summary>
    private async Task<double> SendReplyFramesAsync(bool endOfReply, double firstFrameMs, long speechEndedAt)
    {
        var sent = 0;
        while (replyBacklogCount - sent >= FrameSamples || (endOfReply && replyBacklogCount > sent))
        {
            var count = Math.Min(FrameSamples, replyBacklogCount - sent);
            replyBacklog.AsSpan(sent, count).CopyTo(replyFrame);
            replyFrame.AsSpan(count).Clear();
            while (!call.WriteAudioFrame(replyFrame))
            {
                await Task.Delay(20, stop.Token);
            }
            if (firstFrameMs < 0)
            {
                firstFrameMs = Stopwatch.GetElapsedTime(speechEndedAt).TotalMilliseconds;
            }
            sent += count;
        }
        replyBacklog.AsSpan(sent, replyBacklogCount - sent).CopyTo(replyBacklog);
        replyBacklogCount -= sent;
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

    /// <summary>An utterance's audio in a pooled array; <see cref="Release"/> gives it back exactly once.</summary>
    private sealed class Utterance(float[] buffer, int length, long endedAt)
    {
        private float[]? pooled = buffer;

        public ReadOnlySpan<float> Samples => (pooled ?? throw new ObjectDisposedException(nameof(Utterance))).AsSpan(0, length);

        public long EndedAt => endedAt;

        public void Release()
        {
            if (Interlocked.Exchange(ref pooled, null) is { } array)
            {
                ArrayPool<float>.Shared.Return(array);
            }
        }
    }
}
