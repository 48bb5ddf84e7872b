using System.Diagnostics;
using RemoteMedia.Fuzz;
using SharpFuzz;

// RemoteMedia.Fuzz: the AFL++ (SharpFuzz) harness. Verbs:
//   list                                   the targets
//   instrument <assembly.dll>...           SharpFuzz instrumentation, in place (RemoteMedia.* types only)
//   afl <target>                           the persistent-mode loop that afl-fuzz drives (stdin/shared memory)
//   run <target> <file|dir>...             replay inputs (crash reproduction); exit 1 when one of them crashes
//   mutate <target> <seconds> <corpus-dir> [seed]   deterministic mutation fuzzing without AFL++ (the fallback)
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: RemoteMedia.Fuzz list | instrument <dll>... | afl <target> | run <target> <path>... | mutate <target> <seconds> <corpus> [seed]");
    return 2;
}

FuzzTarget Target(string name) => FuzzTargets.All.TryGetValue(name, out var t)
    ? t
    : throw new ArgumentException($"unknown target '{name}'; targets: {string.Join(", ", FuzzTargets.All.Keys)}");

switch (args[0])
{
    case "list":
        Console.WriteLine(string.Join('\n', FuzzTargets.All.Keys));
        return 0;

    case "instrument":
        foreach (var dll in args.Skip(1))
        {
            Fuzzer.Instrument(dll, type => type.StartsWith("RemoteMedia.", StringComparison.Ordinal), Options.Value);
            Console.WriteLine($"instrumented {dll}");
        }

        return 0;

    case "afl":
        {
            var target = Target(args[1]);
            var buffer = new byte[FuzzTargets.MaxInput];
            Fuzzer.Run(stream =>
            {
                int n = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
                target(buffer.AsSpan(0, n));
            });
            return 0;
        }

    case "run":
        {
            var target = Target(args[1]);
            int crashes = 0, runs = 0;
            foreach (var file in args.Skip(2).SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories) : [p]))
            {
                runs++;
                try
                {
                    target(File.ReadAllBytes(file));
                }
                catch (Exception e)
                {
                    crashes++;
                    Console.WriteLine($"CRASH {file}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
                }
            }

            Console.WriteLine($"{args[1]}: {runs} inputs, {crashes} crashes");
            return crashes == 0 ? 0 : 1;
        }

    case "mutate":
        {
            var name = args[1];
            var target = Target(name);
            var seconds = double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
            var corpus = Directory.EnumerateFiles(args[3]).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
            int seed = args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 1;
            var mutator = new Mutator(seed, corpus);
            var clock = Stopwatch.StartNew();
            long execs = 0;
            int crashes = 0;
            var crashDir = Path.Combine("artifacts", "fuzz", name, "mutate-crashes");
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                var input = mutator.Next();
                execs++;
                try
                {
                    target(input);
                }
                catch (Exception e)
                {
                    crashes++;
                    Directory.CreateDirectory(crashDir);
                    var file = Path.Combine(crashDir, $"crash-{execs}");
                    File.WriteAllBytes(file, input);
                    if (crashes <= 5)
                    {
                        Console.WriteLine($"CRASH #{execs} -> {file}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
                    }
                }
            }

            Console.WriteLine($"{name}: {execs} executions in {clock.Elapsed.TotalSeconds:F0} s, {crashes} crashes");
            return crashes == 0 ? 0 : 1;
        }

    default:
        Console.Error.WriteLine($"unknown verb '{args[0]}'");
        return 2;
}
