using System.Text;

namespace RemoteMedia.Fuzz;

/// <summary>
/// A small deterministic mutation engine (seeded): bit flips, interesting values, byte runs, chunk insert/delete/
/// duplicate, splices between corpus entries and dictionary tokens. It is what the xunit suite uses to hammer the
/// parsers without AFL++; with the same seed it produces the same inputs on every machine.
/// </summary>
public sealed class Mutator(int seed, IReadOnlyList<byte[]> corpus, IReadOnlyList<byte[]>? dictionary = null)
{
    private static readonly int[] Interesting = [0, 1, 2, 3, 4, 7, 8, 12, 16, 20, 31, 32, 63, 64, 100, 127, 128, 191, 192, 200, 255, 256, 1000, 1024, 4096, 32767, 32768, 65535, 65536, int.MaxValue, -1, int.MinValue];
    private readonly Random rng = new(seed);
    private readonly IReadOnlyList<byte[]> dictionary = dictionary ?? [];

    /// <summary>Common tokens of the text formats (JSON, SDP), used by <see cref="Next"/>.</summary>
    public static IReadOnlyList<byte[]> TextTokens { get; } = new[]
    {
        "{", "}", "[", "]", "\"", ":", ",", "null", "true", "false", "-1", "1e308", "0.0", "\\u0000", "\r\n", "\n", "=", " ",
        "a=", "m=audio ", "c=IN IP4 ", "a=rtpmap:", "a=fingerprint:sha-256 ", "a=ice-ufrag:", "a=ice-pwd:", "a=mid:", "a=candidate:",
        "a=sctp-port:", "a=setup:", "m=application ", "UDP/TLS/RTP/SAVPF", "opus/48000/2", "4294967296", "65536", "\"nodes\"",
        "\"connections\"", "\"params\"", "\"node_type\"", "\"type\"", "\"sdp\"", "\"offer\"", "\"candidate\"", "\"id\"", "\"from\"", "\"to\"",
    }.Select(Encoding.UTF8.GetBytes).ToArray();

    /// <summary>A fresh mutant of a corpus entry (1 to 8 stacked mutations), at most <paramref name="maxLength"/> bytes.</summary>
    public byte[] Next(int maxLength = FuzzTargets.MaxInput)
    {
        var data = new List<byte>(corpus.Count == 0 ? [] : corpus[rng.Next(corpus.Count)]);
        int rounds = 1 << rng.Next(4);
        for (int r = 0; r < rounds; r++)
        {
            Mutate(data);
        }

        if (data.Count > maxLength)
        {
            data.RemoveRange(maxLength, data.Count - maxLength);
        }

        return [.. data];
    }

    private void Mutate(List<byte> d)
    {
        int pos = d.Count == 0 ? 0 : rng.Next(d.Count);
        switch (rng.Next(11))
        {
            case 0 when d.Count > 0:
                d[pos] ^= (byte)(1 << rng.Next(8));
                break;
            case 1 when d.Count > 0:
                d[pos] = (byte)rng.Next(256);
                break;
            case 2 when d.Count > 0:
                WriteInteresting(d, pos);
                break;
            case 3 when d.Count > 1:
                {
                    int len = rng.Next(1, Math.Min(64, d.Count - pos) + 1);
                    d.RemoveRange(pos, Math.Min(len, d.Count - pos));
                    break;
                }

            case 4:
                {
                    var run = Enumerable.Repeat((byte)rng.Next(256), rng.Next(1, 128));
                    d.InsertRange(pos, run);
                    break;
                }

            case 5 when d.Count > 0:
                {
                    int len = rng.Next(1, Math.Min(256, d.Count - pos) + 1);
                    d.InsertRange(rng.Next(d.Count + 1), d.GetRange(pos, len));
                    break;
                }

            case 6 when corpus.Count > 0:
                {
                    var other = corpus[rng.Next(corpus.Count)];
                    if (other.Length > 0)
                    {
                        int from = rng.Next(other.Length);
                        int len = rng.Next(1, other.Length - from + 1);
                        int cut = d.Count == 0 ? 0 : rng.Next(d.Count);
                        d.RemoveRange(cut, d.Count - cut);
                        d.AddRange(other.AsSpan(from, len).ToArray());
                    }

                    break;
                }

            case 7 when dictionary.Count > 0 || TextTokens.Count > 0:
                {
                    var pool = dictionary.Count > 0 && rng.Next(2) == 0 ? dictionary : TextTokens;
                    d.InsertRange(pos, pool[rng.Next(pool.Count)]);
                    break;
                }

            case 8 when d.Count > 0:
                d.RemoveRange(pos, d.Count - pos);   // truncate
                break;
            case 9 when d.Count > 1:
                {
                    int a = rng.Next(d.Count);
                    int b = rng.Next(d.Count);
                    (d[a], d[b]) = (d[b], d[a]);
                    break;
                }

            default:
                {
                    var digits = Encoding.ASCII.GetBytes(Interesting[rng.Next(Interesting.Length)].ToString(System.Globalization.CultureInfo.InvariantCulture));
                    d.InsertRange(pos, digits);
                    break;
                }
        }
    }

    private void WriteInteresting(List<byte> d, int pos)
    {
        int v = Interesting[rng.Next(Interesting.Length)];
        int width = 1 << rng.Next(3);   // 1, 2 or 4 bytes
        bool bigEndian = rng.Next(2) == 0;
        for (int i = 0; i < width && pos + i < d.Count; i++)
        {
            int shift = bigEndian ? 8 * (width - 1 - i) : 8 * i;
            d[pos + i] = (byte)(v >> shift);
        }
    }
}
