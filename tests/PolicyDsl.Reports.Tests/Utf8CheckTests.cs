using System.Text;
using PolicyDsl.Reports.Eval;

namespace PolicyDsl.Reports.Tests;

/// <summary>
/// <see cref="Utf8Check"/>: the lines of a file that hold a byte sequence that is not UTF-8 are the ones it flags, wherever
/// the reads cut the file (inside a character, between a CR and its LF), for lines of CJK text, emoji, ASCII and commas
/// ended by LF, CRLF or a lone CR, with lone continuation bytes, bytes no UTF-8 has, cut-off sequences and GBK text
/// inserted between characters; and the text the reader decodes from the checked stream is the text of the file.
/// </summary>
public sealed class Utf8CheckTests
{
    /// <summary>A stream that gives its bytes in pieces of random size.</summary>
    private sealed class Pieces(byte[] bytes, Random random) : ForwardStream
    {
        private int _at;
        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(Math.Min(buffer.Length, bytes.Length - _at), 1 + random.Next(9));
            bytes.AsSpan(_at, n).CopyTo(buffer);
            _at += n;
            return n;
        }
    }

    private static readonly string[] Words = ["北京化工", "企业", "a", "E1", ",", "😀", "𠀀", "é", "1534487.25", "true", " "];
    private static readonly byte[][] NotUtf8 = [[0x80], [0xFF], [0xE4, 0xB8], [0xC3], [0xB1, 0xB1, 0xBE, 0xA9], [0xED, 0xA0, 0x80]];

    [Fact]
    public void The_lines_it_flags_are_the_lines_with_bytes_that_are_not_UTF8()
    {
        var random = new Random(8);
        for (var file = 0; file < 600; file++)
        {
            var bytes = new List<byte>();
            var bad = new HashSet<long>();
            var lines = 1 + random.Next(15);
            var afterCr = false;
            for (long line = 1; line <= lines; line++)
            {
                // A lone CR then an empty line ended by LF would be one CRLF: such a line gets a word.
                for (var w = random.Next(8) + (afterCr ? 1 : 0); w > 0; w--)
                {
                    if (random.Next(12) == 0)
                    {
                        bytes.AddRange(NotUtf8[random.Next(NotUtf8.Length)]);
                        bytes.Add((byte)'x'); // a truncated sequence ends at an ASCII character
                        bad.Add(line);
                    }
                    else bytes.AddRange(Encoding.UTF8.GetBytes(Words[random.Next(Words.Length)]));
                }
                var ending = line < lines || random.Next(2) == 0 ? random.Next(3) : -1;
                if (ending >= 0) bytes.AddRange(ending switch { 0 => "\n"u8.ToArray(), 1 => "\r\n"u8.ToArray(), _ => "\r"u8.ToArray() });
                afterCr = ending == 2;
            }
            var data = bytes.ToArray();
            var check = new Utf8Check(new Pieces(data, random));
            var text = new StreamReader(check, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 1 + random.Next(64)).ReadToEnd();
            Assert.Equal(Encoding.UTF8.GetString(data), text);
            var expected = string.Concat(Enumerable.Range(1, lines).Select(l => bad.Contains(l) ? 'B' : '.'));
            var flagged = string.Concat(Enumerable.Range(1, lines).Select(l => check.Flagged(l, 1).HasValue ? 'B' : '.'));
            Assert.True(expected == flagged, $"file {file}: expected {expected}, flagged {flagged}: {Convert.ToHexString(data)}");
        }
    }

    [Fact]
    public void A_record_over_several_lines_is_flagged_by_any_of_them_and_a_UTF16_file_is_not_checked()
    {
        var check = new Utf8Check(new MemoryStream([.. "a\nb\n"u8, 0xFF, .. "\nc\n"u8]));
        _ = new StreamReader(check).ReadToEnd();
        Assert.Null(check.Flagged(1, 2));
        Assert.Equal((byte)0xFF, check.Flagged(3, 2));
        Assert.Null(check.Flagged(5, 1));

        var utf16 = new Utf8Check(new MemoryStream([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("北京,a\n")]));
        Assert.Equal("北京,a\n", new StreamReader(utf16).ReadToEnd());
        Assert.Null(utf16.Flagged(1, 5));
    }
}
