using System.Collections.Immutable;
using PolicyDsl.Model;

namespace PolicyDsl.Reports.Eval;

/// <summary>The binary form of rows while they are spilled to disk (written and read by this process only).</summary>
internal static class Codec
{
    private const byte Application = 1, Rejected = 2, Pending = 3;

    public static void Write(BinaryWriter w, StreamingEvaluator.Entry e)
    {
        // A row parsed into the compiled rules' application where it was read (a record over several lines) is spilled as the
        // model's application; it is taken again when its partition is evaluated.
        if (e.Input is BoundRow b) e = e with { Input = b.ToModel() };
        w.Write(e.Seq);
        Optional(w, e.Enterprise);
        if (e.Pending)
        {
            // A record not parsed yet: its line and UTF-8 text (a spilled row costs its bytes; it is parsed when its partition is evaluated).
            w.Write(Pending);
            w.Write(e.Line);
            w.Write(e.Text.Length);
            w.Write(e.Text.Bytes);
        }
        else if (e.Input is ApplicationRow a)
        {
            w.Write(Application);
            w.Write(a.Row);
            w.Write(a.RowLabel);
            var app = a.Application;
            w.Write(app.Id);
            w.Write(app.Enterprise);
            w.Write(app.Rule);
            w.Write(app.Date.DayNumber);
            Optional(w, app.Subject);
            Optional(w, app.Location);
            w.Write(app.FundedByHigherLevelPolicy);
            w.Write(app.ReceivedElsewhere);
            w.Write(app.Facts.Values.Count);
            foreach (var (name, value) in app.Facts.Values)
            {
                w.Write(name);
                switch (value)
                {
                    case QuantityValue q: w.Write((byte)0); w.Write(q.Value); break;
                    case YesNoValue y: w.Write((byte)1); w.Write(y.Value); break;
                    case DateValue d: w.Write((byte)2); w.Write(d.Value.DayNumber); break;
                    case MemberValue m: w.Write((byte)3); w.Write(m.Key); break;
                    default: throw new InvalidOperationException("unknown fact value " + value.GetType().Name);
                }
            }
        }
        else
        {
            w.Write(Rejected);
            Write(w, e.Rejected!);
        }
    }

    /// <summary>The next entry; a pending record's text goes to <paramref name="arena"/>.</summary>
    public static StreamingEvaluator.Entry ReadEntry(BinaryReader r, RecordArena arena)
    {
        var seq = r.ReadInt64();
        var enterprise = Optional(r);
        var kind = r.ReadByte();
        if (kind == Rejected) return new StreamingEvaluator.Entry(seq, enterprise, null, ReadRejected(r));
        if (kind == Pending)
        {
            var line = r.ReadInt64();
            var text = arena.Read(r.BaseStream, r.ReadInt32()); // BinaryReader reads no further ahead than asked: the stream is at the text
            return new StreamingEvaluator.Entry(seq, enterprise, null, null, text, line);
        }
        var row = r.ReadInt64();
        var label = r.ReadString();
        var id = r.ReadString();
        var appEnterprise = r.ReadString();
        var rule = r.ReadString();
        var date = DateOnly.FromDayNumber(r.ReadInt32());
        var subject = Optional(r);
        var location = Optional(r);
        var funded = r.ReadBoolean();
        var elsewhere = r.ReadDecimal();
        var count = r.ReadInt32();
        var facts = ImmutableSortedDictionary.CreateBuilder<string, FactValue>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var name = r.ReadString();
            facts[name] = r.ReadByte() switch
            {
                0 => FactValue.Of(r.ReadDecimal()),
                1 => FactValue.Of(r.ReadBoolean()),
                2 => FactValue.Of(DateOnly.FromDayNumber(r.ReadInt32())),
                _ => FactValue.Member(r.ReadString()),
            };
        }
        var app = new Application(id, appEnterprise, rule, date, count == 0 ? Facts.Empty : new Facts(facts.ToImmutable()), subject, location, funded, elsewhere);
        return new StreamingEvaluator.Entry(seq, enterprise, new ApplicationRow(row, label, app), null);
    }

    private static void Write(BinaryWriter w, RejectedRow x)
    {
        w.Write(x.Row);
        w.Write(x.RowLabel);
        Optional(w, x.Id);
        Optional(w, x.Enterprise);
        Optional(w, x.Rule);
        w.Write(x.Reason);
    }

    private static RejectedRow ReadRejected(BinaryReader r) =>
        new(r.ReadInt64(), r.ReadString(), Optional(r), Optional(r), Optional(r), r.ReadString());

    private static void Optional(BinaryWriter w, string? s)
    {
        w.Write(s is not null);
        if (s is not null) w.Write(s);
    }

    private static string? Optional(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;
}
