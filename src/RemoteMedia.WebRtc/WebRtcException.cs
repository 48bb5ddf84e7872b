namespace RemoteMedia.WebRtc;

/// <summary>What went wrong, as a code callers can switch on.</summary>
public enum WebRtcError
{
    /// <summary>A native library (libopus, libsrtp2) is missing or failed.</summary>
    NativeLibrary = 1,

    /// <summary>The remote session description cannot be used.</summary>
    InvalidSdp = 2,

    /// <summary>Opus encoding or decoding failed.</summary>
    Codec = 3,

    /// <summary>SRTP setup failed.</summary>
    Srtp = 4,

    /// <summary>The DTLS handshake failed.</summary>
    Dtls = 5,

    /// <summary>The operation does not fit the session's current state.</summary>
    InvalidState = 6,
}

/// <summary>The one exception type of the WebRTC transport.</summary>
public sealed class WebRtcException : Exception
{
    public WebRtcException(WebRtcError error, string message, Exception? inner = null)
        : base(message, inner)
    {
        Error = error;
    }

    public WebRtcException() : this(WebRtcError.InvalidState, "WebRTC error") { }

    public WebRtcException(string message) : this(WebRtcError.InvalidState, message) { }

    public WebRtcException(string message, Exception inner) : this(WebRtcError.InvalidState, message, inner) { }

    public WebRtcError Error { get; }
}
