namespace RemoteMedia.Tests.Vad.Corpus;

/// <summary>What the corpus says, and with which espeak-ng voices.</summary>
public static class CorpusText
{
    public static readonly string[] Sentences =
    [
        "please turn on the kitchen lights",
        "what is the weather like today",
        "the quick brown fox jumps over the lazy dog",
        "remind me to call my sister at six",
        "how far is it to the nearest station",
        "set a timer for twenty minutes",
        "she sells sea shells by the sea shore",
        "open the window in the living room",
        "play some quiet music in the bedroom",
        "tomorrow morning I have a meeting at nine",
        "could you read that message again please",
        "the train to the city leaves at half past four",
        "add milk eggs and bread to the shopping list",
        "turn the volume down a little bit",
        "is there a pharmacy open near here",
        "thank you that will be all for now",
    ];

    public static readonly string[] Voices = ["en-us", "en-us+f2", "en+m3", "en-gb+f4", "en-us+m1", "en+f3", "en-us+m7", "en-gb"];

    /// <summary>A held-out set: sentences and voices never used while the robust mode's constants were chosen.</summary>
    public static readonly string[] HeldOutSentences =
    [
        "where did I leave my keys this morning",
        "please book a table for two at eight",
        "the library closes early on sundays",
        "how many days are left until the holiday",
        "switch off the heating in the garage",
        "my flight lands at a quarter to seven",
        "can you spell that name for me",
        "the children are playing in the garden",
        "send the report to the whole team tonight",
        "it looks like it is going to snow again",
        "turn left at the second traffic light",
        "what time does the bakery open",
        "lower the blinds in the study please",
        "the meeting has been moved to thursday",
        "how do you say good morning in french",
        "wake me up at half past six tomorrow",
    ];

    public static readonly string[] HeldOutVoices = ["en-us+m2", "en+f1", "en-gb+m4", "en-us+f3", "en+m5", "en-gb+f2", "en-us+m3", "en+f5"];

    public static readonly string[] BabbleVoices = ["en-us+f1", "en+m2", "en-gb+f3", "en-us+m4", "en+f4", "en-us+m6", "en-gb+m3", "en+f2"];

    public static readonly string[] BabbleLines =
    [
        "in the beginning the town was small and quiet and everyone knew each other by name",
        "markets opened early and the smell of fresh bread filled the narrow streets every morning",
        "the river carried boats full of grain timber and stone down to the harbour by the sea",
        "children played in the square while their parents talked about the harvest and the rain",
        "travellers arrived with stories of distant cities mountains and forests full of wolves",
        "at night the lamps were lit one by one and the sound of music drifted from the tavern",
        "over the years the roads grew wider and the houses taller until the town became a city",
        "the old bridge still stands today although nobody remembers who built it or why",
        "scientists measured the temperature of the water every hour for three long summers",
        "the committee agreed to meet again next week to discuss the budget and the schedule",
    ];
}
