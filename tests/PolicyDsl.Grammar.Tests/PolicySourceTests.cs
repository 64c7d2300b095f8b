using System.Text;
using PolicyDsl.Diagnostics;

namespace PolicyDsl.Grammar.Tests;

public class PolicySourceTests
{
    [Fact]
    public void Syntax_errors_become_catalog_diagnostics_with_lines_and_columns()
    {
        var source = ParsedSource.Parse("x.policy", "policy P \"t\"\n\t\"unterminated\n");
        var diagnostic = Assert.Single(source.Diagnostics);
        Assert.Same(DiagnosticCatalog.MalformedString, diagnostic.Descriptor);
        Assert.Equal((2, 2), (diagnostic.Start.Line, diagnostic.Start.Column));
        Assert.Equal("x.policy(2,2): error PDSL0005: Malformed string: expected a closing '\"' on the same line, found end of line",
            diagnostic.ToString());
        Assert.True(source.HasErrors);
    }

    [Fact]
    public void Every_error_kind_maps_to_its_own_descriptor()
    {
        var ids = Enum.GetValues<PolicyDsl.Syntax.SyntaxErrorKind>().Select(k => DiagnosticCatalog.For(k).Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Decoding_strips_the_BOM_and_replaces_bad_bytes()
    {
        var (text, error) = ParsedSource.Decode([0xEF, 0xBB, 0xBF, (byte)'a', 0xC3, (byte)'b', .. "中"u8]);
        Assert.Equal("a\uFFFDb中", text);
        Assert.Equal((1, "byte 0xC3 at byte offset 4"), error);
        Assert.Null(ParsedSource.Decode(Encoding.UTF8.GetBytes("policy 中 \"t\"")).Error);
    }

    [Fact]
    public void Parsed_sources_are_value_equal_and_keep_a_line_map()
    {
        var text = "policy P \"t\"\r\nsection 1 \"s\" department \"d\"";
        Assert.Equal(ParsedSource.Parse("p", text), ParsedSource.Parse("p", text));
        Assert.Equal(2, ParsedSource.Parse("p", text).CreateLineMap().LineCount);
    }
}
