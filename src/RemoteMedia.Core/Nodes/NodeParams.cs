using System.Globalization;
using System.Text.Json;

namespace RemoteMedia.Nodes;

/// <summary>
/// Strict reading of a node's JSON configuration for managed nodes, with the same rules and messages
/// as the native reader: errors name the node kind and the key; unknown keys are rejected.
/// </summary>
public sealed class NodeParams
{
    private readonly string kind;
    private readonly Dictionary<string, JsonElement> members = new(StringComparer.Ordinal);
    private readonly HashSet<string> used = new(StringComparer.Ordinal);

    private NodeParams(string kind) => this.kind = kind;

    public static NodeParams Parse(string kind, string? json)
    {
        var result = new NodeParams(kind);
        if (string.IsNullOrWhiteSpace(json))
        {
            return result;
        }
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw RemoteMediaException.InvalidConfig($"{kind} config must be a JSON object, got {TypeName(doc.RootElement)}");
            }
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (!result.members.TryAdd(property.Name, property.Value.Clone()))
                {
                    throw RemoteMediaException.InvalidConfig($"{kind} config: duplicate key \"{property.Name}\"");
                }
            }
        }
        catch (JsonException ex)
        {
            throw RemoteMediaException.InvalidConfig(
                $"{kind} config: invalid JSON at line {(ex.LineNumber ?? 0) + 1}, column {(ex.BytePositionInLine ?? 0) + 1}: {ex.Message}");
        }
        return result;
    }

    private JsonElement? Take(string key)
    {
        used.Add(key);
        return members.TryGetValue(key, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
    }

    private RemoteMediaException WrongType(string key, string expected, JsonElement got) =>
        RemoteMediaException.InvalidConfig($"{kind}: parameter '{key}' must be {expected}, got {TypeName(got)}");

    public string Choice(string key, IReadOnlyList<string> allowed, string defaultValue)
    {
        if (Take(key) is not { } value)
        {
            return defaultValue;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            throw WrongType(key, "a string", value);
        }
        var text = value.GetString()!;
        if (!allowed.Contains(text))
        {
            throw RemoteMediaException.InvalidConfig(
                $"{kind}: parameter '{key}' must be one of {string.Join(", ", allowed.Select(a => $"\"{a}\""))}, got \"{text}\"");
        }
        return text;
    }

    public long? OptionalInt(string key, long min, long max)
    {
        if (Take(key) is not { } value)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw WrongType(key, "an integer", value);
        }
        var number = value.GetDouble();
        if (Math.Floor(number) != number)
        {
            throw RemoteMediaException.InvalidConfig($"{kind}: parameter '{key}' must be an integer, got {Format(number)}");
        }
        if (number < min || number > max)
        {
            throw RemoteMediaException.InvalidConfig($"{kind}: parameter '{key}' must be between {min} and {max}, got {Format(number)}");
        }
        return (long)number;
    }

    public long Int(string key, long min, long max, long defaultValue) => OptionalInt(key, min, max) ?? defaultValue;

    public double Number(string key, double min, double max, double defaultValue)
    {
        if (Take(key) is not { } value)
        {
            return defaultValue;
        }
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw WrongType(key, "a number", value);
        }
        var number = value.GetDouble();
        if (number < min || number > max)
        {
            throw RemoteMediaException.InvalidConfig(
                $"{kind}: parameter '{key}' must be between {Format(min)} and {Format(max)}, got {Format(number)}");
        }
        return number;
    }

    public bool Boolean(string key, bool defaultValue)
    {
        if (Take(key) is not { } value)
        {
            return defaultValue;
        }
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw WrongType(key, "a boolean", value),
        };
    }

    /// <summary>Fails if the configuration holds a key that was never read.</summary>
    public void Finish()
    {
        var unknown = members.Keys.Where(k => !used.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw RemoteMediaException.InvalidConfig($"{kind}: unknown parameter(s) {string.Join(", ", unknown.Select(k => $"'{k}'"))}");
        }
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string TypeName(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Number => "number",
        JsonValueKind.String => "string",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        _ => "nothing",
    };
}
