namespace RemoteMedia.WebRtc;

/// <summary>Receives one 20 ms frame of mono 48 kHz PCM (960 samples). The span is only valid during the call.</summary>
public delegate void AudioFrameHandler(ReadOnlySpan<short> frame);
