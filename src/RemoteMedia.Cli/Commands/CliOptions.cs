namespace RemoteMedia.Cli.Commands;

using System.CommandLine;

/// <summary>Options shared by several commands.</summary>
internal static class CliOptions
{
    public static Option<RuntimeHint> Runtime() => new("--runtime")
    {
        Description = "Which implementation runs the nodes: auto (native when available), native, or managed.",
        DefaultValueFactory = _ => RuntimeHint.Auto,
    };

    /// <summary>Runs a command body, turning SDK errors into a one-line message and exit code 1.</summary>
    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (RemoteMediaException ex)
        {
            Console.Error.WriteLine($"error ({ex.ErrorCode}): {ex.Message}");
            return 1;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 1;
        }
    }
}
