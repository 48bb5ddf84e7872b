using System.CommandLine;
using RemoteMedia.Server;

namespace RemoteMedia.Cli.Commands;

/// <summary><c>remotemedia serve</c>: the voice server (the same host as RemoteMedia.Server), on 127.0.0.1:8080 by default.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Address to listen on.", DefaultValueFactory = _ => VoiceServerOptions.DefaultUrl };
        var maxSessions = new Option<int?>("--max-sessions") { Description = "Callers served at once." };
        var runtime = CliOptions.Runtime();
        var command = new Command("serve", "Run the WebRTC voice server: client page at /, signaling at /ws, /health, /connections, /metrics.")
        {
            urls, maxSessions, runtime,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse =>
        {
            var args = new List<string> { "--urls", parse.GetValue(urls)!, $"--VoiceServer:Runtime={parse.GetValue(runtime)}" };
            if (parse.GetValue(maxSessions) is { } max)
            {
                args.Add($"--VoiceServer:MaxSessions={max}");
            }
            args.AddRange(parse.UnmatchedTokens); // any other host setting, e.g. --VoiceServer:MediaBindAddress=...
            VoiceServerApp.Build([.. args]).Run();
            return 0;
        });
        return command;
    }
}
