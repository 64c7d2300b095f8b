using System.Text;
using PolicyDsl.Reports.Eval;

namespace PolicyDsl.Reports.Tests;

/// <summary>
/// The record reader splits a line without quotes a vector of characters at a time, and every other record character by
/// character. Both must give the fields RFC 4180 gives: checked against a plain split over random files (field counts and
/// lengths around the vectors' 8 and 16 characters, empty fields and lines, LF, CRLF and lone CR, no break at the end)
/// read in random pieces, so that records end and straddle the buffer's refills anywhere; and quoted lines among them.
/// </summary>
public sealed class CsvRecordsTests
{
    /// <summary>A reader that hands out its text in pieces of random size (a pipe, a slow disk).</summary>
    private sealed class Pieces(string text, Random random) : TextReader
    {
        private int _at;

        public override int Read(char[] buffer, int index, int count)
        {
            var n = Math.Min(Math.Min(count, text.Length - _at), 1 + random.Next(40));
            text.CopyTo(_at, buffer, index, n);
            _at += n;
            return n;
        }
    }

    [Fact]
    public void Records_split_as_RFC_4180_says_wherever_the_buffer_ends()
    {
        var random = new Random(4180);
        for (var file = 0; file < 1500; file++)
        {
            var expected = new List<(string[] Fields, bool Quoted)>();
            var text = new StringBuilder();
            var lines = 1 + random.Next(12);
            var loneCr = false;
            for (var l = 0; l < lines; l++)
            {
                var count = 1 + random.Next(40);
                var fields = new string[count];
                var quoted = random.Next(5) == 0;
                for (var f = 0; f < count; f++)
                {
                    fields[f] = random.Next(3) == 0 ? "" : new string((char)('a' + random.Next(26)), random.Next(24));
                    if (quoted && random.Next(3) == 0) fields[f] += "x\"\"y,z"; // written quoted: a comma and a doubled quote in it
                }
                if (loneCr && count == 1 && fields[0].Length == 0) fields[0] = "q"; // a lone CR and an empty line's LF would be one CRLF
                for (var f = 0; f < count; f++)
                {
                    if (f > 0) text.Append(',');
                    text.Append(fields[f].Contains('"') ? "\"" + fields[f] + "\"" : fields[f]);
                }
                // The last line may end the file without a break; a lone CR, LF or CRLF otherwise.
                var ending = l < lines - 1 || random.Next(2) == 0 ? random.Next(3) switch { 0 => "\n", 1 => "\r\n", _ => "\r" } : "";
                if (ending.Length == 0 && count == 1 && fields[0].Length == 0) { fields[0] = "q"; text.Append('q'); } // else no record at all
                text.Append(ending);
                loneCr = ending == "\r";
                expected.Add((fields.Select(x => x.Replace("\"\"", "\"")).ToArray(), quoted));
            }
            var records = new CsvApplicationReader.CsvRecords(new Pieces(text.ToString(), random));
            foreach (var (fields, _) in expected)
            {
                Assert.True(records.Next(), $"file {file}: a record is missing");
                Assert.Null(records.Problem);
                Assert.Equal(fields.Length, records.Count);
                for (var f = 0; f < fields.Length; f++) Assert.Equal(fields[f], records.FieldString(f));
                Assert.Equal(fields.Count(x => x.Length > 0), records.Filled);
            }
            Assert.False(records.Next(), $"file {file}: a record too many");
        }
    }
}
