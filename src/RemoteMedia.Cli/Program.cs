using System.CommandLine;
using Microsoft.Extensions.Logging;
using RemoteMedia;
using RemoteMedia.Cli.Commands;

var verbose = Environment.GetEnvironmentVariable("REMOTEMEDIA_LOG") is { Length: > 0 };
using var loggerFactory = LoggerFactory.Create(b => b
    .AddSimpleConsole(o => o.SingleLine = true)
    .SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning)
    .AddFilter("RemoteMedia.Runtime", verbose ? LogLevel.Information : LogLevel.None));
RemoteMediaRuntime.LoggerFactory = loggerFactory;

var root = new RootCommand("RemoteMedia: real-time audio pipelines over native Rust kernels, with a managed fallback.")
{
    InfoCommand.Create(),
    ConvertCommand.Create(),
    RunCommand.Create(),
    NodesCommand.Create(),
    ServeCommand.Create(),
};
return root.Parse(args).Invoke();
