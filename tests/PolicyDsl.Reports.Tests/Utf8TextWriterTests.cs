using System.Text;
using PolicyDsl.Reports.Eval;

namespace PolicyDsl.Reports.Tests;

/// <summary>
/// policyc eval renders parts with <see cref="Utf8TextWriter"/> and writes them as bytes: whatever is written, in whatever
/// pieces, the bytes must be those a StreamWriter with UTF-8 (no byte-order mark) writes for the same calls, lone
/// surrogates and pairs split across calls included, over a stream or into its own buffer.
/// </summary>
public sealed class Utf8TextWriterTests
{
    private static readonly string[] Pieces = ["row,", "区财政=50", "😀", "\uD83D", "\uDE00", "\uDE00", "a\uD83D", "\n", "\"q\"", "", "é", new string('x', 70_000), "点", "\uD83Dz"];

    /// <summary>The same random sequence of writes (chars, strings, spans) to a StreamWriter and to both kinds of Utf8TextWriter.</summary>
    [Fact]
    public void Bytes_are_those_of_a_UTF8_StreamWriter()
    {
        var random = new Random(18);
        for (var round = 0; round < 300; round++)
        {
            var expected = new MemoryStream();
            var reference = new StreamWriter(expected, new UTF8Encoding(false), 1024);
            var overStream = new MemoryStream();
            var streamed = new Utf8TextWriter(overStream, 64);
            var buffered = new Utf8TextWriter(16);
            var writes = random.Next(1, 40);
            for (var i = 0; i < writes; i++)
            {
                var piece = Pieces[random.Next(Pieces.Length)];
                foreach (var w in new TextWriter[] { reference, streamed, buffered })
                {
                    switch ((round + i) % 3)
                    {
                        case 0: w.Write(piece); break;
                        case 1: foreach (var c in piece) w.Write(c); break;
                        default: w.Write(piece.AsSpan()); break;
                    }
                }
            }
            reference.Flush();
            streamed.Flush();
            buffered.Flush();
            Assert.Equal(expected.ToArray(), overStream.ToArray());
            Assert.Equal(expected.ToArray(), buffered.ToArray());
        }
    }

    /// <summary>UTF-8 parts copied in as they are, between text written as text, small and larger than the buffer.</summary>
    [Fact]
    public void Utf8_parts_are_copied_as_they_are()
    {
        var part = Encoding.UTF8.GetBytes("1,A-1,E1,区财政=0.5\n");
        var large = Encoding.UTF8.GetBytes(new string('点', 1000));
        var stream = new MemoryStream();
        var w = new Utf8TextWriter(stream, 128);
        w.Write("head\n");
        w.WriteUtf8(part);
        w.WriteUtf8(large);
        w.Write('z');
        Utf8TextWriter.WriteUtf8(w, part);
        w.Flush();
        Assert.Equal("head\n1,A-1,E1,区财政=0.5\n" + new string('点', 1000) + "z1,A-1,E1,区财政=0.5\n", Encoding.UTF8.GetString(stream.ToArray()));

        var text = new StringWriter();
        Utf8TextWriter.WriteUtf8(text, part);
        Assert.Equal("1,A-1,E1,区财政=0.5\n", text.ToString());
    }
}
