using System.Runtime.ExceptionServices;

namespace PolicyDsl.Reports.Eval;

/// <summary>
/// Pieces of work made on several threads and consumed one at a time in the order they were numbered, by whichever thread
/// finishes the next one: no thread of its own waits for them. The thread that finishes piece k, when k is the next to
/// consume and no other thread is consuming, consumes it and every later piece already finished; a piece finished while
/// another thread consumes is left for that one (the turn is taken under a lock, so the consumer is called by one thread at
/// a time, each call seeing what the one before did). At most <c>room</c> pieces are numbered and not consumed: the
/// numbering thread waits for room (<see cref="Next"/>). On a machine of two cores a thread that waited in order for each
/// piece (and was woken for it) made most of a run's context switches. Used for the rendered parts of
/// <see cref="StreamingEvaluator"/>'s output and for the batches its general path keeps or spills.
/// </summary>
internal sealed class InOrder<T>(int room, Action<T> consume) where T : class
{
    private readonly SemaphoreSlim _room = new(room, room);
    private readonly T?[] _ready = new T?[room]; // finished, not consumed: by number modulo room (the numbers in flight differ there)
    private readonly object _gate = new();
    private readonly CancellationTokenSource _cancel = new();
    private readonly ManualResetEventSlim _drained = new(false);
    private long _numbered, _consumed;
    private bool _consuming, _completed, _stopped;
    private ExceptionDispatchInfo? _failure;

    /// <summary>True once a piece failed (<see cref="Fail"/>): <see cref="Complete"/> throws its exception.</summary>
    public bool Failed => _cancel.IsCancellationRequested;

    /// <summary>The next piece's number, once there is room for it; throws OperationCanceledException once a piece failed.</summary>
    public long Next()
    {
        _room.Wait(_cancel.Token);
        lock (_gate) return _numbered++;
    }

    /// <summary>Piece <paramref name="number"/> is finished: consumed now, with every later one finished, when it is the
    /// next and no thread is consuming; else left for the thread that is.</summary>
    public void Done(long number, T piece)
    {
        lock (_gate)
        {
            _ready[number % _ready.Length] = piece;
            if (_consuming) return;
            _consuming = true;
        }
        while (true)
        {
            T? next;
            lock (_gate)
            {
                var slot = (int)(_consumed % _ready.Length);
                next = _failure is null && !_stopped ? _ready[slot] : null;
                if (next is null)
                {
                    _consuming = false;
                    if (_completed && _consumed == _numbered) _drained.Set();
                    Monitor.PulseAll(_gate);
                    return;
                }
                _ready[slot] = null;
            }
            try
            {
                consume(next);
            }
            catch (Exception e)
            {
                Fail(e); // before the turn is given back: no other thread consumes after a failure
                lock (_gate)
                {
                    _consuming = false;
                    Monitor.PulseAll(_gate);
                }
                return;
            }
            lock (_gate) _consumed++;
            _room.Release();
        }
    }

    /// <summary>A piece could not be made or consumed: nothing more is consumed, numbering stops, and <see cref="Complete"/>
    /// throws this (the first failure's) exception.</summary>
    public void Fail(Exception e)
    {
        lock (_gate)
        {
            _failure ??= ExceptionDispatchInfo.Capture(e);
            _drained.Set();
        }
        _cancel.Cancel();
    }

    /// <summary>Waits until every numbered piece is consumed; rethrows what failed.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            if (_consumed == _numbered) _drained.Set();
        }
        _drained.Wait();
        _failure?.Throw();
    }

    /// <summary>Nothing is consumed after this returns (a piece being consumed is let finish); numbering stops. (Nothing is
    /// disposed: a piece still being made may call <see cref="Done"/> or <see cref="Fail"/> later.)</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _stopped = true;
            while (_consuming) Monitor.Wait(_gate);
        }
        _cancel.Cancel();
    }
}
