using RemoteMedia.Server;

await VoiceServerApp.Build(args).RunAsync();

/// <summary>Entry point marker for WebApplicationFactory in tests.</summary>
public partial class Program;
