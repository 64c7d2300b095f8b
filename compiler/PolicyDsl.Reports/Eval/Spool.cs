using System.Text;
using System.Text.Json;

namespace PolicyDsl.Reports.Eval;

/// <summary>
/// Items that must be written after everything else (a closing list) without being held in memory:
/// appended as JSON lines to a temporary file and read back once at the end.
/// </summary>
internal sealed class Spool<T> : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "policyc-spool-" + Guid.NewGuid().ToString("N") + ".jsonl");
    private StreamWriter? _writer;

    public long Count { get; private set; }

    public void Add(T item)
    {
        _writer ??= new StreamWriter(_path, append: false, new UTF8Encoding(false));
        _writer.WriteLine(JsonSerializer.Serialize(item));
        Count++;
    }

    public IEnumerable<T> ReadAll()
    {
        if (_writer is null) yield break;
        _writer.Flush();
        using var reader = new StreamReader(new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite), Encoding.UTF8);
        while (reader.ReadLine() is { } line) yield return JsonSerializer.Deserialize<T>(line)!;
    }

    public void Dispose()
    {
        _writer?.Dispose();
        if (File.Exists(_path)) File.Delete(_path);
    }
}
