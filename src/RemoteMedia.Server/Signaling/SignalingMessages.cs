using System.Text.Json;
using System.Text.Json.Serialization;

namespace RemoteMedia.Server.Signaling;

/// <summary>A message from the page, as the original remotemedia client sends it.</summary>
internal sealed record ClientMessage(string Type, string? Sdp, JsonElement? Candidate);

/// <summary>Parses and writes the signaling JSON: {type:"offer",sdp} | {type:"ice-candidate",candidate} | {type:"close"}.</summary>
internal static class SignalingMessages
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Reads a client message or returns an error text for the {type:"error"} reply.</summary>
    public static ClientMessage? TryParse(ReadOnlySpan<byte> utf8, out string? error)
    {
        error = null;
        try
        {
            using var doc = JsonDocument.Parse(utf8.ToArray());
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "message must be a JSON object";
                return null;
            }
            if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                error = "message has no string 'type'";
                return null;
            }
            string? sdp = root.TryGetProperty("sdp", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            JsonElement? candidate = root.TryGetProperty("candidate", out var c) ? c.Clone() : null;
            return new ClientMessage(type.GetString()!, sdp, candidate);
        }
        catch (JsonException ex)
        {
            error = $"message is not valid JSON: {ex.Message}";
            return null;
        }
        catch (InvalidOperationException)
        {
            // JsonElement.GetString on a string that is not valid UTF-8 (found by fuzzing; it used to end the connection).
            error = "message is not valid UTF-8";
            return null;
        }
    }

    public static string Answer(string sdp, string sessionId) => Serialize(new { type = "answer", sdp, session_id = sessionId });

    public static string Error(string message) => Serialize(new { type = "error", message });

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Json);
}
