namespace RemoteMedia;

/// <summary>
/// The one exception type of the SDK: native failures and managed validation errors alike carry an
/// <see cref="ErrorCode"/> mirroring the native status codes, and a message that names the problem.
/// </summary>
public sealed class RemoteMediaException : Exception
{
    public RemoteMediaException(ErrorCode errorCode, string message, string? function = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorCode = errorCode;
        Function = function;
    }

    public RemoteMediaException()
        : this(ErrorCode.Internal, "unspecified RemoteMedia error")
    {
    }

    public RemoteMediaException(string message)
        : this(ErrorCode.Internal, message)
    {
    }

    public RemoteMediaException(string message, Exception innerException)
        : this(ErrorCode.Internal, message, null, innerException)
    {
    }

    public ErrorCode ErrorCode { get; }

    /// <summary>The native function that failed, when the error came from the native library.</summary>
    public string? Function { get; }

    internal static RemoteMediaException InvalidConfig(string message) => new(ErrorCode.InvalidConfig, message);

    internal static RemoteMediaException InvalidArgument(string message) => new(ErrorCode.InvalidArgument, message);
}
