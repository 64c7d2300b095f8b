using PolicyDsl.Reports.Eval;

namespace PolicyDsl.Reports.Tests;

/// <summary>
/// InOrder: pieces finished on any thread, in any order, are consumed exactly once each, in the order they were numbered,
/// by one thread at a time; the numbering thread never has more than the room in flight; a failure ends it with its own
/// exception and nothing is consumed after it.
/// </summary>
public sealed class InOrderTests
{
    private sealed class Piece(long number) { public readonly long Number = number; }

    [Theory]
    [InlineData(1, 200)]
    [InlineData(3, 2000)]
    [InlineData(9, 5000)]
    public async Task Pieces_finished_in_any_order_are_consumed_once_in_order(int room, int pieces)
    {
        var consumed = new List<long>();
        var inside = 0;
        var overlapped = false;
        var order = new InOrder<Piece>(room, p =>
        {
            if (Interlocked.Increment(ref inside) > 1) overlapped = true;
            consumed.Add(p.Number); // not thread-safe on purpose: one consumer at a time
            Interlocked.Decrement(ref inside);
        });
        var inFlight = 0;
        var mostInFlight = 0;
        var random = new Random(room);
        var producer = Task.Run(() =>
        {
            for (var i = 0; i < pieces; i++)
            {
                var number = order.Next();
                Assert.Equal(i, number);
                var now = Interlocked.Increment(ref inFlight);
                lock (consumed) mostInFlight = Math.Max(mostInFlight, now);
                var delay = random.Next(3) == 0 ? random.Next(50) : 0;
                Task.Run(() =>
                {
                    for (var spin = 0; spin < delay * 100; spin++) Thread.SpinWait(10);
                    Interlocked.Decrement(ref inFlight);
                    order.Done(number, new Piece(number));
                });
            }
            order.Complete();
        });
        Assert.Same(producer, await Task.WhenAny(producer, Task.Delay(TimeSpan.FromSeconds(60))));
        await producer;
        Assert.False(overlapped);
        Assert.Equal(Enumerable.Range(0, pieces).Select(i => (long)i), consumed);
        Assert.True(mostInFlight <= room, $"{mostInFlight} pieces in flight, room {room}");
    }

    [Fact]
    public async Task A_failure_ends_the_numbering_and_is_rethrown_once_consumed_pieces_stop()
    {
        var consumed = new List<long>();
        var order = new InOrder<Piece>(4, p =>
        {
            if (p.Number == 10) throw new InvalidDataException("piece 10");
            consumed.Add(p.Number);
        });
        var producer = Task.Run(() =>
        {
            try
            {
                for (var i = 0; i < 1000; i++)
                {
                    var number = order.Next();
                    Task.Run(() => order.Done(number, new Piece(number)));
                }
            }
            catch (OperationCanceledException) when (order.Failed) { }
            order.Complete();
        });
        Assert.Same(producer, await Task.WhenAny(producer, Task.Delay(TimeSpan.FromSeconds(60))));
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => producer);
        Assert.Equal("piece 10", e.Message);
        await Task.Delay(50);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), consumed);
    }
}
