using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using RemoteMedia.Server.Assistant;
using RemoteMedia.Server.Security;
using RemoteMedia.Server.Sessions;
using RemoteMedia.Server.Signaling;

namespace RemoteMedia.Server;

/// <summary>Builds the voice server: used by its own Main and by `remotemedia serve`.</summary>
public static class VoiceServerApp
{
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
        {
            builder.WebHost.UseUrls(VoiceServerOptions.DefaultUrl);
        }
        builder.Services.Configure<VoiceServerOptions>(builder.Configuration.GetSection(VoiceServerOptions.Section));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton<AssistantServices>();
        builder.Services.AddSingleton<ICallHandlerFactory>(sp => sp.GetRequiredService<AssistantServices>());
        builder.Services.AddSingleton<SessionManager>();
        builder.Services.AddHostedService<AssistantWarmup>();
        builder.Services.AddSingleton<SignalingEndpoint>();
        builder.Services.AddSingleton<AccessGate>();
        // Per-node pipeline metrics carry a per-session pipeline_id: exporting them adds series for every caller that
        // stay in /metrics for the life of the process, and costs time per frame. Opt in with VoiceServer:PipelineNodeMetrics.
        var nodeMetrics = builder.Configuration.GetValue<bool>($"{VoiceServerOptions.Section}:{nameof(VoiceServerOptions.PipelineNodeMetrics)}");
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(nodeMetrics
                ? [ServerMetrics.MeterName, RemoteMediaRuntime.MeterName, "System.Runtime", "RemoteMedia.Pipeline"]
                : [ServerMetrics.MeterName, RemoteMediaRuntime.MeterName, "System.Runtime"])
            .AddPrometheusExporter());
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        var loggerFactory = app.Services.GetRequiredService<ILoggerFactory>();
        RemoteMediaRuntime.LoggerFactory = loggerFactory;
        // The SDK's logger is process-wide; hand it back before this host disposes its factory.
        app.Lifetime.ApplicationStopped.Register(() =>
        {
            if (ReferenceEquals(RemoteMediaRuntime.LoggerFactory, loggerFactory))
            {
                RemoteMediaRuntime.LoggerFactory = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;
            }
        });
        var sessions = app.Services.GetRequiredService<SessionManager>();
        ServerMetrics.Observe(sessions);
        app.Lifetime.ApplicationStopping.Register(sessions.Dispose);

        var gate = app.Services.GetRequiredService<AccessGate>();
        app.Use((context, next) => gate.InvokeAsync(context, next));
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        app.Map("/ws", (HttpContext context, SignalingEndpoint endpoint) => endpoint.HandleAsync(context));
        app.MapGet("/health", () => Results.Json(new
        {
            status = "ok",
            sessions = sessions.Count,
            runtime = RemoteMediaRuntime.Status.IsNativeAvailable ? "native" : "managed",
            runtime_reason = RemoteMediaRuntime.Status.Description,
        }));
        app.MapGet("/connections", (IOptions<VoiceServerOptions> options) => Results.Json(new
        {
            count = sessions.Count,
            max_sessions = options.Value.MaxSessions,
            sessions = sessions.Sessions.Select(s => new
            {
                id = s.SessionId,
                state = s.State.ToString().ToLowerInvariant(),
                started_at = s.StartedAt,
                media = s.MediaEndPoint.ToString(),
                stats = s.Stats,
            }),
        }));
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
