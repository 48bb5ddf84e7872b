using System.Text;

namespace RemoteMedia.Interop;

/// <summary>Turns native status codes into <see cref="RemoteMediaException"/> with the native message.</summary>
internal static unsafe class NativeErrors
{
    public static void ThrowIfFailed(int status, string function)
    {
        if (status != 0)
        {
            throw Create(status, function);
        }
    }

    public static RemoteMediaException Create(int status, string function)
    {
        var code = Enum.IsDefined(typeof(ErrorCode), status) ? (ErrorCode)status : ErrorCode.Internal;
        var message = LastError();
        return new RemoteMediaException(code, message.Length > 0 ? message : $"{function} failed with status {status}", function);
    }

    /// <summary>This thread's last native error message.</summary>
    public static string LastError()
    {
        Span<byte> buffer = stackalloc byte[512];
        nuint length;
        fixed (byte* p = buffer)
        {
            length = NativeMethods.rm_last_error(p, (nuint)buffer.Length);
        }
        if (length < (nuint)buffer.Length)
        {
            return Encoding.UTF8.GetString(buffer[..(int)length]);
        }
        var large = new byte[(int)length + 1];
        fixed (byte* p = large)
        {
            length = NativeMethods.rm_last_error(p, (nuint)large.Length);
        }
        return Encoding.UTF8.GetString(large, 0, (int)Math.Min(length, (nuint)large.Length - 1));
    }
}
