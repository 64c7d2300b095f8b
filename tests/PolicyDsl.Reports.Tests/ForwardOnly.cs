using PolicyDsl.Reports.Eval;

namespace PolicyDsl.Reports.Tests;

/// <summary>Bytes read forward only, as standard input or a pipe: the stream cannot seek nor say its length.</summary>
internal sealed class ForwardOnly(byte[] bytes) : ForwardStream
{
    private readonly MemoryStream _inner = new(bytes);
    public override int Read(Span<byte> buffer) => _inner.Read(buffer);
}
