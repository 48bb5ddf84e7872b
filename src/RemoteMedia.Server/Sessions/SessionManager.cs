using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RemoteMedia.Server.Sessions;

/// <summary>Every live session: admission against the limit, lookup for /connections, and shutdown.</summary>
public sealed class SessionManager : IDisposable
{
    private readonly ConcurrentDictionary<string, VoiceSession> sessions = new(StringComparer.Ordinal);
    private readonly VoiceServerOptions options;
    private readonly ICallHandlerFactory handlers;
    private readonly ILogger<SessionManager> logger;
    private readonly object admission = new();
    private int pending;

    public SessionManager(IOptions<VoiceServerOptions> options, ICallHandlerFactory handlers, ILogger<SessionManager> logger)
    {
        this.options = options.Value;
        this.handlers = handlers;
        this.logger = logger;
    }

    public int Count => sessions.Count;

    public IReadOnlyCollection<VoiceSession> Sessions => sessions.Values.ToList();

    /// <summary>Creates a session for an offer, or throws <see cref="SessionLimitException"/> when the server is full.</summary>
    public VoiceSession Create(string offerSdp, Action<string> postToPage)
    {
        lock (admission)
        {
            if (sessions.Count + pending >= options.MaxSessions)
            {
                throw new SessionLimitException($"the server is full ({options.MaxSessions} sessions); try again later");
            }
            pending++;
        }
        try
        {
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            var session = new VoiceSession(id, offerSdp, options, handlers, postToPage, Remove);
            sessions[id] = session;
            ServerMetrics.SessionsStarted.Add(1);
            logger.LogInformation("session {Session} created, media on {EndPoint}", id, session.MediaEndPoint);
            return session;
        }
        finally
        {
            lock (admission)
            {
                pending--;
            }
        }
    }

    private void Remove(VoiceSession session)
    {
        if (sessions.TryRemove(session.SessionId, out _))
        {
            var stats = session.Stats;
            logger.LogInformation("session {Session} closed after {Seconds:F1} s: rtp={Rtp} srtpFailures={Failures} lost={Lost}",
                session.SessionId, (DateTimeOffset.UtcNow - session.StartedAt).TotalSeconds, stats.RtpPackets, stats.SrtpAuthFailures, stats.JitterLost);
        }
    }

    public void Dispose()
    {
        foreach (var session in sessions.Values)
        {
            session.Dispose();
        }
    }
}

public sealed class SessionLimitException(string message) : Exception(message);
