using BenchmarkDotNet.Running;

// `dotnet run -c Release --project benchmarks/RemoteMedia.Benchmarks -- --filter '*FormatConverter*'`
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

public partial class Program;
