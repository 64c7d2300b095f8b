using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using PolicyDsl.Syntax;
using PolicyDsl.Text;

namespace PolicyDsl.Grammar.Tests;

/// <summary>
/// Prints a syntax tree without its spans, so that two spellings of one text compare equal and a
/// failing comparison shows where the trees differ.
/// </summary>
public static class TreePrinter
{
    public static string Print(object? node)
    {
        var sb = new StringBuilder();
        Write(sb, node);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case null: sb.Append("null"); break;
            case string s: sb.Append('"').Append(s).Append('"'); break;
            case decimal d: sb.Append(d.ToString(CultureInfo.InvariantCulture)); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case Enum e: sb.Append(e.ToString()); break;
            case int i: sb.Append(i.ToString(CultureInfo.InvariantCulture)); break;
            case TextSpan: sb.Append('_'); break;
            case SyntaxError error: sb.Append(error.Kind); break;
            case IEnumerable items:
                sb.Append('[');
                var first = true;
                foreach (var item in items)
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    Write(sb, item);
                }
                sb.Append(']');
                break;
            default:
                var type = value.GetType();
                sb.Append(type.Name).Append('(');
                var firstProperty = true;
                foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                {
                    if (p.Name is "Span" || p.GetIndexParameters().Length > 0) continue;
                    if (!firstProperty) sb.Append(", ");
                    firstProperty = false;
                    sb.Append(p.Name).Append('=');
                    Write(sb, p.GetValue(value));
                }
                sb.Append(')');
                break;
        }
    }
}
