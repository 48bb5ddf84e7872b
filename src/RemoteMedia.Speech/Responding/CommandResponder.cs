using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace RemoteMedia.Speech;

/// <summary>
/// The default assistant: switches room lights (state kept per instance, so use one instance per
/// session), tells the time and the day, and answers greetings, thanks, help, stop and goodbye.
/// It accepts every sentence of <see cref="CommandGrammar"/> and a few natural variants an open
/// vocabulary recognizer might produce ("switch", "lights on" at the end, "thanks", "hi").
/// Thread-safe.
/// </summary>
public sealed partial class CommandResponder : IResponder
{
    /// <summary>The rooms whose lights can be switched, as they are spoken.</summary>
    public static readonly IReadOnlyList<string> Rooms =
        ["kitchen", "living room", "bedroom", "bathroom", "office", "garage", "hallway", "dining room"];

    private const string AllLights = "*";

    private const string Examples = "turn on the kitchen lights, are the office lights on, what time is it, or what day is it";

    private readonly TimeProvider clock;
    private readonly Dictionary<string, bool> lights = Rooms.ToDictionary(room => room, _ => false, StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <param name="clock">Source of the time and day answers (local time zone); the system clock by default.</param>
    public CommandResponder(TimeProvider? clock = null)
    {
        this.clock = clock ?? TimeProvider.System;
    }

    public bool IsLightOn(string room)
    {
        ArgumentNullException.ThrowIfNull(room);
        lock (gate)
        {
            return lights.TryGetValue(Normalize(room), out var on)
                ? on
                : throw new ArgumentException($"unknown room '{room}'; known rooms: {string.Join(", ", Rooms)}", nameof(room));
        }
    }

    public ResponderReply Respond(string transcript)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        var words = Normalize(transcript);
        if (words.Length == 0)
        {
            return new ResponderReply("Sorry, I didn't catch that. Could you say it again?", Understood: false);
        }
        var request = PoliteWords().Replace(words, string.Empty).Trim();

        var switchMatch = SwitchStateFirst().Match(request);
        if (!switchMatch.Success)
        {
            switchMatch = SwitchStateLast().Match(request);
        }
        if (switchMatch.Success)
        {
            var on = switchMatch.Groups["state"].Value == "on";
            return LightTarget(switchMatch.Groups["what"].Value) is { } target
                ? SwitchTarget(target, on)
                : new ResponderReply($"Sorry, I can only switch lights, not {switchMatch.Groups["what"].Value}. Try: turn {(on ? "on" : "off")} the kitchen lights.", Understood: false);
        }
        if (AskLights().Match(request) is { Success: true } askMatch)
        {
            return ReportRoom(askMatch.Groups["room"].Value);
        }
        return request switch
        {
            "what time is it" or "what is the time" or "what's the time" => Reply($"It's {clock.GetLocalNow().ToString("h:mm tt", CultureInfo.InvariantCulture)}."),
            "what day is it" or "what is the date" or "what's the date" or "what day is today" => Reply($"Today is {clock.GetLocalNow().ToString("dddd, MMMM d", CultureInfo.InvariantCulture)}."),
            "hello" or "hi" or "hey" or "good morning" or "good afternoon" or "good evening" => Reply($"Hello! You can say things like: {Examples}."),
            "thank you" or "thanks" or "thank you very much" => Reply("You're welcome."),
            "stop" or "cancel" or "be quiet" => new ResponderReply("Okay, stopping.", Understood: true, StopRequested: true),
            "goodbye" or "bye" or "good bye" => Reply("Goodbye! Talk to you later."),
            "help" or "what can you do" => Reply($"I can switch the lights in the {JoinRooms()}, and tell you the time or the day. Try: {Examples}."),
            _ => new ResponderReply($"Sorry, I don't know how to help with \"{words}\". You can say things like: {Examples}.", Understood: false),
        };
    }

    private ResponderReply SwitchTarget(string target, bool on)
    {
        var state = on ? "on" : "off";
        lock (gate)
        {
            if (target == AllLights)
            {
                foreach (var room in Rooms)
                {
                    lights[room] = on;
                }
                return Reply($"All the lights are now {state}.");
            }
            if (!lights.TryGetValue(target, out var current))
            {
                return UnknownRoom(target);
            }
            if (current == on)
            {
                return Reply($"The {target} lights are already {state}.");
            }
            lights[target] = on;
            return Reply($"Okay, the {target} lights are now {state}.");
        }
    }

    private ResponderReply ReportRoom(string room)
    {
        lock (gate)
        {
            if (!lights.TryGetValue(room, out var on))
            {
                return UnknownRoom(room);
            }
            return Reply(on ? $"Yes, the {room} lights are on." : $"No, the {room} lights are off.");
        }
    }

    /// <summary>The room named by "the kitchen lights", "lights in the office", or <see cref="AllLights"/>; null if not lights.</summary>
    private static string? LightTarget(string what)
    {
        if (what is "all the lights" or "all lights" or "all the light" or "all" or "everything" or "the lights" or "lights" or "the light" or "light")
        {
            return AllLights;
        }
        if (RoomLights().Match(what) is { Success: true } roomMatch)
        {
            return roomMatch.Groups["room"].Value;
        }
        return null;
    }

    private static ResponderReply UnknownRoom(string room) =>
        new($"I don't know a room called {room}. I can switch the lights in the {JoinRooms()}.", Understood: false);

    private static ResponderReply Reply(string text) => new(text, Understood: true);

    private static string JoinRooms() => string.Join(", ", Rooms.Take(Rooms.Count - 1)) + " and " + Rooms[^1];

    /// <summary>Lower case, letters, digits and apostrophes only, single spaces.</summary>
    private static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            builder.Append(char.IsLetterOrDigit(c) || c == '\'' ? c : ' ');
        }
        return Spaces().Replace(builder.ToString(), " ").Trim();
    }

    // "turn on the kitchen lights", "switch off all the lights"
    [GeneratedRegex(@"^(?:turn|switch) (?<state>on|off) (?<what>.+)$")]
    private static partial Regex SwitchStateFirst();

    // "turn the kitchen lights off"
    [GeneratedRegex(@"^(?:turn|switch) (?<what>.+) (?<state>on|off)$")]
    private static partial Regex SwitchStateLast();

    // "the kitchen lights", "kitchen light", "the lights in the office"
    [GeneratedRegex(@"^(?:(?:the )?(?<room>.+?) lights?|(?:the )?lights? in the (?<room>.+))$")]
    private static partial Regex RoomLights();

    // "are the kitchen lights on", "is the kitchen light on"
    [GeneratedRegex(@"^(?:are|is) the (?<room>.+?) lights? on$")]
    private static partial Regex AskLights();

    [GeneratedRegex(@"^(?:please |could you |can you |ok |okay |hey )+|(?: please)+$")]
    private static partial Regex PoliteWords();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
