using RemoteMedia.Interop.Generator;

// Usage: RemoteMedia.Interop.Generator [<crate-src-dir> <output-file>]
// Defaults are relative to the repository root, found by walking up to RemoteMedia.sln.
var root = RepoPaths.FindRoot(AppContext.BaseDirectory) ?? RepoPaths.FindRoot(Environment.CurrentDirectory);
var crateSrc = args.Length > 0 ? args[0] : Path.Combine(root ?? ".", "native-rust", "src");
var output = args.Length > 1 ? args[1] : Path.Combine(root ?? ".", "interop", "NativeMethods.g.cs");

try
{
    var text = BindingGenerator.Generate(crateSrc);
    File.WriteAllText(output, text);
    Console.WriteLine($"wrote {output}");
    return 0;
}
catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"binding generation failed: {ex.Message}");
    return 1;
}
