using RemoteMedia.Speech.Tests.Support;

namespace RemoteMedia.Speech.Tests;

public class CommandResponderTests
{
    // Tuesday 24 November 2026, 15:07 UTC.
    private static readonly FixedTimeProvider Clock = new(new DateTimeOffset(2026, 11, 24, 15, 7, 0, TimeSpan.Zero));

    private readonly CommandResponder responder = new(Clock);

    [Fact]
    public void Turning_a_room_on_and_off_changes_its_state_and_says_so()
    {
        Assert.False(responder.IsLightOn("kitchen"));

        var on = responder.Respond("please turn on the kitchen lights");
        Assert.True(on.Understood);
        Assert.Equal("Okay, the kitchen lights are now on.", on.Text);
        Assert.True(responder.IsLightOn("kitchen"));
        Assert.False(responder.IsLightOn("bedroom"));

        var off = responder.Respond("turn off the kitchen lights");
        Assert.Equal("Okay, the kitchen lights are now off.", off.Text);
        Assert.False(responder.IsLightOn("kitchen"));
    }

    [Fact]
    public void Repeating_a_switch_says_the_lights_already_are_that_way()
    {
        responder.Respond("turn on the garage lights");

        Assert.Equal("The garage lights are already on.", responder.Respond("turn on the garage lights").Text);
        Assert.Equal("The office lights are already off.", responder.Respond("turn off the office lights").Text);
    }

    [Theory]
    [MemberData(nameof(RoomNames))]
    public void Every_room_can_be_switched_and_asked_about(string room)
    {
        Assert.Equal($"No, the {room} lights are off.", responder.Respond($"are the {room} lights on").Text);
        responder.Respond($"turn on the {room} lights");
        Assert.True(responder.IsLightOn(room));
        Assert.Equal($"Yes, the {room} lights are on.", responder.Respond($"are the {room} lights on").Text);
    }

    public static TheoryData<string> RoomNames => [.. CommandResponder.Rooms];

    [Fact]
    public void All_the_lights_switch_every_room()
    {
        Assert.Equal("All the lights are now on.", responder.Respond("turn on all the lights").Text);
        Assert.All(CommandResponder.Rooms, room => Assert.True(responder.IsLightOn(room)));

        responder.Respond("turn off all the lights");
        Assert.All(CommandResponder.Rooms, room => Assert.False(responder.IsLightOn(room)));
    }

    [Fact]
    public void State_is_per_instance_so_sessions_do_not_share_lights()
    {
        var other = new CommandResponder(Clock);
        responder.Respond("turn on the bathroom lights");

        Assert.True(responder.IsLightOn("bathroom"));
        Assert.False(other.IsLightOn("bathroom"));
    }

    [Theory]
    [InlineData("Switch off the Bedroom light!")]
    [InlineData("turn the bedroom lights off")]
    [InlineData("turn off the lights in the bedroom")]
    [InlineData("could you turn off the bedroom lights please")]
    public void Natural_variants_of_a_switch_are_understood(string transcript)
    {
        responder.Respond("turn on the bedroom lights");

        var reply = responder.Respond(transcript);

        Assert.True(reply.Understood, reply.Text);
        Assert.False(responder.IsLightOn("bedroom"));
    }

    [Fact]
    public void Time_and_day_come_from_the_clock()
    {
        Assert.Equal("It's 3:07 PM.", responder.Respond("what time is it").Text);
        Assert.Equal("Today is Tuesday, November 24.", responder.Respond("what day is it").Text);
    }

    [Theory]
    [InlineData("hello", "Hello!")]
    [InlineData("hi", "Hello!")]
    [InlineData("thank you", "You're welcome.")]
    [InlineData("thanks", "You're welcome.")]
    [InlineData("goodbye", "Goodbye!")]
    [InlineData("help", "I can switch the lights in the kitchen, living room")]
    [InlineData("what can you do", "I can switch the lights")]
    public void Conversation_commands_get_a_sentence(string transcript, string expectedStart)
    {
        var reply = responder.Respond(transcript);

        Assert.True(reply.Understood);
        Assert.False(reply.StopRequested);
        Assert.StartsWith(expectedStart, reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Stop_asks_the_host_to_stop_speaking()
    {
        var reply = responder.Respond("stop");

        Assert.True(reply.Understood);
        Assert.True(reply.StopRequested);
        Assert.Equal("Okay, stopping.", reply.Text);
    }

    [Fact]
    public void Unknown_input_gets_a_helpful_reply_with_examples()
    {
        var reply = responder.Respond("the quick brown fox");

        Assert.False(reply.Understood);
        Assert.Contains("the quick brown fox", reply.Text, StringComparison.Ordinal);
        Assert.Contains("turn on the kitchen lights", reply.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("?!")]
    public void Empty_transcript_asks_to_repeat(string transcript)
    {
        var reply = responder.Respond(transcript);

        Assert.False(reply.Understood);
        Assert.Equal("Sorry, I didn't catch that. Could you say it again?", reply.Text);
    }

    [Fact]
    public void Unknown_room_lists_the_known_rooms_and_changes_nothing()
    {
        var reply = responder.Respond("turn on the attic lights");

        Assert.False(reply.Understood);
        Assert.StartsWith("I don't know a room called attic.", reply.Text, StringComparison.Ordinal);
        Assert.Contains("garage", reply.Text, StringComparison.Ordinal);
        Assert.All(CommandResponder.Rooms, room => Assert.False(responder.IsLightOn(room)));
    }

    [Fact]
    public void Switching_something_other_than_lights_is_declined()
    {
        var reply = responder.Respond("turn on the radio");

        Assert.False(reply.Understood);
        Assert.StartsWith("Sorry, I can only switch lights", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Asking_about_an_unknown_room_is_an_argument_error()
    {
        Assert.Throws<ArgumentException>(() => responder.IsLightOn("attic"));
        Assert.Throws<ArgumentNullException>(() => responder.Respond(null!));
    }

    [Fact]
    public void Concurrent_switches_keep_a_consistent_state()
    {
        Parallel.For(0, 200, i => responder.Respond(i % 2 == 0 ? "turn on the office lights" : "turn on the hallway lights"));

        Assert.True(responder.IsLightOn("office"));
        Assert.True(responder.IsLightOn("hallway"));
    }
}
