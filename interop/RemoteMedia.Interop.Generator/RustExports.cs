using System.Text.RegularExpressions;

namespace RemoteMedia.Interop.Generator;

/// <summary>What the generator understands of the Rust crate: the C ABI surface only.</summary>
public sealed record RustFunction(string Name, IReadOnlyList<(string Name, string Type)> Parameters, string? ReturnType, string Signature, IReadOnlyList<string> Docs);
public sealed record RustStruct(string Name, IReadOnlyList<(string Name, string Type)> Fields, bool IsOpaque, IReadOnlyList<string> Docs);
public sealed record RustEnum(string Name, string Repr, IReadOnlyList<(string Name, string Value, IReadOnlyList<string> Docs)> Variants, IReadOnlyList<string> Docs);
public sealed record RustConst(string Name, string Type, string Value, IReadOnlyList<string> Docs);

public sealed class RustExports
{
    public List<RustFunction> Functions { get; } = [];
    public List<RustStruct> Structs { get; } = [];
    public List<RustEnum> Enums { get; } = [];
    public List<RustConst> Constants { get; } = [];
    public Dictionary<string, string> Aliases { get; } = [];

    /// <summary>Scans every .rs file under <paramref name="srcDir"/> (sorted, so output is stable).</summary>
    public static RustExports Scan(string srcDir)
    {
        var exports = new RustExports();
        foreach (var file in Directory.GetFiles(srcDir, "*.rs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            exports.ScanFile(StripTests(File.ReadAllText(file)));
        }
        return exports;
    }

    // Test modules may declare helper items that are not part of the ABI.
    private static string StripTests(string text)
    {
        var index = text.IndexOf("#[cfg(test)]", StringComparison.Ordinal);
        return index < 0 ? text : text[..index];
    }

    private static readonly Regex Alias = new(@"^pub type (\w+) = (\w+);", RegexOptions.Multiline);
    private static readonly Regex Const = new(@"^pub const (RM_\w+): (\w+) = ([^;]+);", RegexOptions.Multiline);
    private static readonly Regex Repr = new(@"^#\[repr\((\w+)\)\]", RegexOptions.Multiline);

    private void ScanFile(string text)
    {
        foreach (Match m in Alias.Matches(text))
        {
            Aliases[m.Groups[1].Value] = m.Groups[2].Value;
        }
        foreach (Match m in Const.Matches(text))
        {
            Constants.Add(new RustConst(m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value.Trim(), DocsBefore(text, m.Index)));
        }
        foreach (Match m in Repr.Matches(text))
        {
            var item = ItemAfter(text, m.Index + m.Length);
            var header = Regex.Match(item, @"^pub (struct|enum) (\w+)");
            if (!header.Success)
            {
                continue;
            }
            var body = Body(item);
            var docs = DocsBefore(text, m.Index);
            if (header.Groups[1].Value == "struct" && m.Groups[1].Value == "C")
            {
                Structs.Add(new RustStruct(header.Groups[2].Value, Fields(body), false, docs));
            }
            else if (header.Groups[1].Value == "enum")
            {
                Enums.Add(new RustEnum(header.Groups[2].Value, m.Groups[1].Value, Variants(body), docs));
            }
        }
        foreach (Match m in Regex.Matches(text, @"^#\[no_mangle\]|^#\[unsafe\(no_mangle\)\]", RegexOptions.Multiline))
        {
            var item = ItemAfter(text, m.Index + m.Length);
            var signature = Regex.Replace(item[..item.IndexOf('{', StringComparison.Ordinal)], @"\s+", " ").Trim();
            var fn = Regex.Match(signature, @"^pub (?:unsafe )?extern ""C"" fn (\w+)\((.*)\)(?: -> (.+))?$");
            if (!fn.Success)
            {
                throw new FormatException($"cannot parse exported function: {signature}");
            }
            var parameters = SplitTopLevel(fn.Groups[2].Value)
                .Select(p => p.Split(':', 2))
                .Select(p => (p[0].Trim(), p[1].Trim()))
                .ToList();
            Functions.Add(new RustFunction(fn.Groups[1].Value, parameters, fn.Groups[3].Success ? fn.Groups[3].Value.Trim() : null,
                signature, DocsBefore(text, m.Index)));
        }
        // Opaque handle types: public structs without repr(C) that exports take by pointer.
        foreach (Match m in Regex.Matches(text, @"^pub struct (Rm\w+) \{", RegexOptions.Multiline))
        {
            if (!Structs.Any(s => s.Name == m.Groups[1].Value))
            {
                Structs.Add(new RustStruct(m.Groups[1].Value, [], true, DocsBefore(text, m.Index)));
            }
        }
    }

    private static string ItemAfter(string text, int start)
    {
        var rest = text[start..].TrimStart();
        // Skip further attributes (derive, ...) and doc comments between the marker and the item.
        while (rest.StartsWith("#[", StringComparison.Ordinal) || rest.StartsWith("///", StringComparison.Ordinal))
        {
            rest = rest[(rest.IndexOf('\n', StringComparison.Ordinal) + 1)..].TrimStart();
        }
        return rest;
    }

    private static string Body(string item)
    {
        var open = item.IndexOf('{', StringComparison.Ordinal);
        var depth = 0;
        for (var i = open; i < item.Length; i++)
        {
            depth += item[i] switch { '{' => 1, '}' => -1, _ => 0 };
            if (depth == 0)
            {
                return item[(open + 1)..i];
            }
        }
        throw new FormatException("unbalanced braces");
    }

    private static List<string> DocsBefore(string text, int index)
    {
        var lines = text[..index].Split('\n');
        var docs = new List<string>();
        for (var i = lines.Length - 2; i >= 0; i--)
        {
            var line = lines[i].Trim();
            if (line.StartsWith("///", StringComparison.Ordinal))
            {
                docs.Insert(0, line[3..].Trim());
            }
            else if (!line.StartsWith("#[", StringComparison.Ordinal))
            {
                break;
            }
        }
        return docs;
    }

    private static List<(string, string)> Fields(string body) =>
        body.Split('\n')
            .Select(l => Regex.Match(l.Trim(), @"^pub (\w+): ([^,]+),?$"))
            .Where(m => m.Success)
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value.Trim()))
            .ToList();

    private static List<(string, string, IReadOnlyList<string>)> Variants(string body)
    {
        var result = new List<(string, string, IReadOnlyList<string>)>();
        var docs = new List<string>();
        foreach (var raw in body.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("///", StringComparison.Ordinal))
            {
                docs.Add(line[3..].Trim());
                continue;
            }
            var m = Regex.Match(line, @"^(\w+) = (-?\d+),?$");
            if (m.Success)
            {
                result.Add((m.Groups[1].Value, m.Groups[2].Value, docs));
            }
            docs = [];
        }
        return result;
    }

    private static List<string> SplitTopLevel(string parameters)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < parameters.Length; i++)
        {
            depth += parameters[i] switch { '(' or '<' => 1, ')' or '>' => -1, _ => 0 };
            if (parameters[i] == ',' && depth == 0)
            {
                parts.Add(parameters[start..i]);
                start = i + 1;
            }
        }
        if (parameters[start..].Trim().Length > 0)
        {
            parts.Add(parameters[start..]);
        }
        return parts.Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
    }
}
