using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Fluid;
using Fluid.Values;

namespace PolicyDsl.Reports;

/// <summary>
/// The report templates (Templates/*.liquid, embedded) and how they are rendered. Policy text only
/// ever reaches a template as a value of the model, and every value is written through an encoder
/// (HTML or Markdown), so text such as "{{ x }}" or "&lt;script&gt;" in a policy is printed, never run.
/// </summary>
public static class Templates
{
    private static readonly FluidParser Parser = new();
    private static readonly ConcurrentDictionary<string, IFluidTemplate> Cache = new(StringComparer.Ordinal);

    /// <summary>HTML-encodes the five significant characters but keeps CJK readable in the page source.</summary>
    public static readonly TextEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    public static readonly TextEncoder Markdown = MarkdownEncoder.Instance;

    private static readonly TemplateOptions Options = CreateOptions();

    private static TemplateOptions CreateOptions()
    {
        var options = new TemplateOptions
        {
            CultureInfo = CultureInfo.InvariantCulture,
            // The models are plain records built for the templates: every public property may be read.
            MemberAccessStrategy = UnsafeMemberAccessStrategy.Instance,
        };
        // {{ words | say }}: a text with both languages, in the report's language (the "lang" value, default "en").
        options.Filters.AddFilter("say", static (input, _, context) =>
        {
            if (input.ToObjectValue() is not Words words) return new ValueTask<FluidValue>(input);
            var zh = context.GetValue("lang").ToStringValue() == "zh";
            return new ValueTask<FluidValue>(new StringValue(zh ? words.Zh : words.En));
        });
        return options;
    }

    /// <summary>A template by file name (e.g. "catalogue.html.liquid"), parsed once.</summary>
    public static IFluidTemplate Get(string name) => Cache.GetOrAdd(name, static n =>
    {
        using var stream = typeof(Templates).Assembly.GetManifestResourceStream("PolicyDsl.Reports.Templates." + n)
            ?? throw new InvalidOperationException($"template {n} is not embedded");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        return Parser.TryParse(text, out var template, out var error)
            ? template
            : throw new InvalidOperationException($"template {n}: {error}");
    });

    /// <summary>Renders a template with the model as its "model" variable (plus any extra values).</summary>
    public static void Render(string name, TextEncoder encoder, TextWriter writer, object model, IReadOnlyDictionary<string, object?>? extra = null)
    {
        var context = new TemplateContext(Options);
        context.SetValue("model", model);
        if (extra is not null) foreach (var (key, value) in extra) context.SetValue(key, value);
        // Rendering to a writer is asynchronous in Fluid; nothing here awaits I/O, so it completes at once.
        var task = Get(name).RenderAsync(writer, encoder, context);
        if (!task.IsCompletedSuccessfully) task.AsTask().GetAwaiter().GetResult();
    }

    public static string Render(string name, TextEncoder encoder, object model, IReadOnlyDictionary<string, object?>? extra = null)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        Render(name, encoder, writer, model, extra);
        return writer.ToString();
    }
}
