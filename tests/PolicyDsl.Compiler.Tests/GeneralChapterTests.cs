using PolicyDsl.Checking;
using PolicyDsl.Cli;
using PolicyDsl.Cli.Lsp;
using PolicyDsl.Formatting;
using PolicyDsl.Model;
using PolicyDsl.Syntax;

namespace PolicyDsl.Compiler.Tests;

/// <summary>
/// Issue 14, the shape of the document: several chapters of general provisions, anywhere among the sections, each kept in
/// its place (docs/semantics.md §29) by the parser, the checker, outline, the language server's symbols, diff and format.
/// </summary>
public sealed class GeneralChapterTests
{
    // Shaped like Liuhe 2023: 二、支持范围, 三、组织保障 (general) between sections, then a section, then 五、其他 (general).
    private const string English = """
        policy Demo "Chapters"
          effective 2026-01-01 through 2026-12-31
        section 1 "Scope" department "Commerce bureau"
          clause 1 "Investment"
            rule investment "Investment award"
              fact amount: wan-yuan
              award 5% of amount
              cap 100 wan-yuan
        general 2 "组织保障"
          provision 2 "Leading group"
            source "成立柳河县重点产业工作领导小组。"
            procedure "成立柳河县重点产业工作领导小组。"
        section 3 "Talent" department "Human resources bureau"
          clause 3 "Certification"
            rule certification "Certification award"
              fact holders: persons
              award 1 wan-yuan per persons of holders
              cap 30 wan-yuan per enterprise
        general 4 "其他"
          provision 4 "No stacking"
            no stacking "不重复享受"
        """;

    private const string Chinese = """
        政策 Demo "Chapters"
          有效期 2026-01-01 至 2026-12-31
        章 1 "Scope" 部门 "Commerce bureau"
          条 1 "Investment"
            规则 investment "Investment award"
              事实 amount: 万元
              奖励 5% 的 amount
              上限 100 万元
        总则 2 "组织保障"
          款 2 "Leading group"
            原文 "成立柳河县重点产业工作领导小组。"
            程序 "成立柳河县重点产业工作领导小组。"
        章 3 "Talent" 部门 "Human resources bureau"
          条 3 "Certification"
            规则 certification "Certification award"
              事实 holders: 人
              奖励 1 万元 每 人 的 holders
              上限 30 万元 每 企业
        总则 4 "其他"
          款 4 "No stacking"
            不重复享受 "不重复享受"
        """;

    private const string LeadingGroup = "  provision 2 \"Leading group\"\n    source \"成立柳河县重点产业工作领导小组。\"\n    procedure \"成立柳河县重点产业工作领导小组。\"\n";

    private static CheckedPolicy Check(string text)
    {
        var result = TestFiles.Compile(text);
        Assert.True(result.Diagnostics.IsEmpty, string.Join("\n", result.Diagnostics));
        return result.Policy!;
    }

    [Fact]
    public void Two_general_chapters_one_between_sections_parse_in_their_places()
    {
        var file = PolicyParser.Parse(English);
        Assert.Empty(file.Errors);
        var policy = file.Policy!;
        Assert.Equal(2, policy.Sections.Count);
        Assert.Equal([1, 2], policy.Generals.Select(g => g.SectionsBefore));
        Assert.Equal(["section 1", "general 2", "section 3", "general 4"], policy.Chapters.Select(c => c switch
        {
            SectionSyntax s => "section " + s.Number.Value,
            GeneralSyntax g => "general " + g.Number!.Value,
            _ => "?",
        }));
        // The section after a general chapter holds its own clauses; the general chapter its own provision.
        Assert.Equal(3, policy.Sections[1].Clauses[0].Number.Value);
        Assert.Equal(2, Assert.Single(policy.Generals[0].Provisions).Number.Value);
    }

    [Fact]
    public void The_Chinese_keywords_give_the_same_chapters()
    {
        var en = Check(English);
        var zh = Check(Chinese);
        Assert.Equal(en.Chapters.Select(Name), zh.Chapters.Select(Name));
        Assert.Equal(en.General.Chapters.Select(c => (c.Number, c.Title, c.SectionsBefore)), zh.General.Chapters.Select(c => (c.Number, c.Title, c.SectionsBefore)));
    }

    private static string Name(DocumentChapter c) => c.Section is { } s ? "section " + s.Number : "general " + c.General!.Number;

    [Fact]
    public void The_model_keeps_each_chapter_and_gathers_what_they_mean()
    {
        var policy = Check(English);
        Assert.Equal(["section 1", "general 2", "section 3", "general 4"], policy.Chapters.Select(Name));
        var first = policy.General.Chapters[0];
        Assert.Equal((2, "组织保障", 1), (first.Number!.Value, first.Title, first.SectionsBefore));
        Assert.Equal(Model.MeasureKind.Procedure, Assert.Single(Assert.Single(first.Provisions).Measures).Kind);
        // What the provisions mean for evaluation holds wherever the chapter stands: 不重复享受 is in the last chapter.
        Assert.True(policy.General.HasNoStacking);
        Assert.Equal([2, 4], policy.General.Provisions.Select(p => p.Number));
        Assert.Equal("组织保障", policy.General.Title);
    }

    [Fact]
    public void A_single_general_chapter_at_the_end_means_what_it_meant()
    {
        var text = TestFiles.SamplePolicy;
        var policy = TestFiles.CompileSample().Policy!;
        var chapter = Assert.Single(policy.General.Chapters);
        Assert.Equal(policy.Sections.Count, chapter.SectionsBefore);
        Assert.Equal(7, chapter.Number);
        Assert.Equal(chapter.Provisions, policy.General.Provisions);
        Assert.Equal(chapter.Title, policy.General.Title);
        Assert.Contains("general 7 \"其他\"", text);
        Assert.Equal(policy.Chapters.Last().General, chapter);
    }

    [Fact]
    public void A_general_chapter_before_the_first_section_is_a_chapter_not_the_header()
    {
        var text = English.Replace("section 1 \"Scope\"", "general 0 \"总则\"\n  provision 9 \"Purpose\"\n    source \"为促进发展，制定本办法。\"\nsection 1 \"Scope\"");
        var policy = Check(text);
        Assert.Equal(["general 0", "section 1", "general 2", "section 3", "general 4"], policy.Chapters.Select(Name));
        Assert.Equal(0, policy.General.Chapters[0].SectionsBefore);
    }

    [Fact]
    public void A_header_line_after_a_general_chapter_is_out_of_place()
    {
        var text = English.Replace("  provision 4 \"No stacking\"", "  paid by \"县财政\"\n  provision 4 \"No stacking\"");
        var d = Assert.Single(TestFiles.Compile(text).Diagnostics);
        Assert.Equal("PDSL0002", d.Id);
    }

    [Fact]
    public void A_general_chapter_without_provisions_is_reported_PDSL0170()
    {
        var text = English.Replace(LeadingGroup, "");
        Assert.DoesNotContain("Leading group", text);
        var d = Assert.Single(TestFiles.Compile(text).Diagnostics);
        Assert.Equal("PDSL0170", d.Id);
        Assert.Equal(Diagnostics.Severity.Warning, d.Severity);
        Assert.Contains("general chapter 2 \"组织保障\"", d.Message);
        Assert.Equal(new Text.LinePosition(9, 9), d.Start); // the chapter number
    }

    [Fact]
    public void A_general_chapter_written_out_of_its_numbered_place_is_reported_PDSL0171()
    {
        // 四、其他 written between 一 and 三.
        var text = English.Replace("general 2 \"组织保障\"", "general 5 \"组织保障\"");
        var d = Assert.Single(TestFiles.Compile(text).Diagnostics);
        Assert.Equal("PDSL0171", d.Id);
        Assert.Contains("general chapter 5 \"组织保障\" is written before section 3 \"Talent\"", d.Message);
        // Unnumbered general chapters are not checked.
        Check(English.Replace("general 2 \"组织保障\"", "general \"组织保障\""));
    }

    [Fact]
    public void A_chapter_number_a_section_already_has_is_a_duplicate_and_provisions_are_numbered_once()
    {
        var sameAsSection = TestFiles.Compile(English.Replace("general 2 \"组织保障\"", "general 1 \"组织保障\"")).Diagnostics;
        var d = Assert.Single(sameAsSection, x => x.Id == "PDSL0108");
        Assert.Contains("Chapter 1 is numbered more than once", d.Message);
        var provisions = TestFiles.Compile(English.Replace("provision 4 \"No stacking\"", "provision 2 \"No stacking\"")).Diagnostics;
        Assert.Contains("Provision 2 is numbered more than once", Assert.Single(provisions).Message);
    }

    [Fact]
    public void Outline_and_symbols_list_the_chapters_in_document_order()
    {
        var syntax = PolicyParser.Parse(English);
        var top = OutlineCommand.Outline(syntax).Where(l => !l.StartsWith(' ')).ToList();
        Assert.Equal(["section 1 Scope", "general 2 组织保障", "section 3 Talent", "general 4 其他"], top);
        Assert.Contains("  provision 2 Leading group", OutlineCommand.Outline(syntax));

        var doc = new Document("file:///demo.policy", "demo.policy", 1, English);
        var symbols = Assert.Single(LanguageFeatures.Symbols(doc)).Children!;
        Assert.Equal(["section 1", "general 2", "section 3", "general 4"], symbols.Select(s => s.Name));
        Assert.Equal("provision 2", Assert.Single(symbols[1].Children!).Name);
    }

    [Fact]
    public void Format_keeps_several_general_chapters_check_clean()
    {
        var messy = English.Replace("  provision 2", "      provision 2").Replace("section 3", "   section 3");
        var once = PolicyFormatter.Format(messy);
        Assert.Equal(English.ReplaceLineEndings("\n").TrimEnd('\n'), once.ReplaceLineEndings("\n").TrimEnd('\n'));
        Assert.Equal(once, PolicyFormatter.Format(once));
    }

    [Fact]
    public void Diff_names_a_chapter_moved_or_turned_into_a_general_chapter()
    {
        // Before: 组织保障 written after section 3 (out of its numbered place: a warning, not an error).
        var moved = English.Replace("general 2 \"组织保障\"\n" + LeadingGroup, "").Replace("general 4 \"其他\"", "general 2 \"组织保障\"\n" + LeadingGroup + "general 4 \"其他\"");
        var compiled = TestFiles.Compile(moved);
        Assert.Equal(["PDSL0171"], compiled.Diagnostics.Select(d => d.Id));
        var before = compiled.Policy!;
        var after = Check(English);
        var change = Assert.Single(PolicyDiff.Compare(before, after).Header, c => c.Category == "general chapter");
        Assert.Equal(["2 \"组织保障\" after section 3: provisions 2"], change.Old);
        Assert.Equal(["2 \"组织保障\" after section 1: provisions 2"], change.New);
        Assert.DoesNotContain(PolicyDiff.Compare(after, after).Header, c => c.Category == "general chapter");
    }
}
