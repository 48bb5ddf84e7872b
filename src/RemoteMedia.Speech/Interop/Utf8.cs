using System.Text;

namespace RemoteMedia.Speech.Interop;

internal static class Utf8
{
    /// <summary>The UTF-8 bytes of <paramref name="text"/> followed by a NUL, as C APIs expect.</summary>
    public static byte[] Terminated(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }
}
