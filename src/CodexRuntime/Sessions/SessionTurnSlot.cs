namespace CodexRuntime;

/// <summary>
/// A session's one turn slot and whether the session is closed, behind one lock: a turn is reserved before
/// <c>turn/start</c> is sent, filled with the running turn, and released when it ends; a closed session takes none.
/// </summary>
internal sealed class SessionTurnSlot
{
    private readonly Lock _gate = new();
    private CodexTurn? _active;
    private bool _starting;
    private string? _closedHow;

    /// <summary>The turn that runs now, if any.</summary>
    public CodexTurn? Active
    {
        get
        {
            lock (_gate)
            {
                return _active;
            }
        }
    }

    /// <summary>True once the session was closed or disposed.</summary>
    public bool IsClosed
    {
        get
        {
            lock (_gate)
            {
                return _closedHow is not null;
            }
        }
    }

    /// <summary>Marks the session closed (<paramref name="how"/> goes into later errors); false when it already was.</summary>
    public bool MarkClosed(string how)
    {
        lock (_gate)
        {
            if (_closedHow is not null)
            {
                return false;
            }

            _closedHow = how;
            return true;
        }
    }

    /// <exception cref="CodexSessionClosedException">The session is closed.</exception>
    public void ThrowIfClosed(string threadId)
    {
        lock (_gate)
        {
            ThrowIfClosedLocked(threadId);
        }
    }

    /// <summary>Claims the slot for a turn about to start, or says why not.</summary>
    /// <exception cref="CodexSessionClosedException">The session is closed.</exception>
    /// <exception cref="CodexTurnInProgressException">A turn runs or is starting.</exception>
    public void Reserve(string threadId)
    {
        lock (_gate)
        {
            ThrowIfClosedLocked(threadId);
            if (_active is not null || _starting)
            {
                throw new CodexTurnInProgressException(threadId, _active?.TurnId);
            }

            _starting = true;
        }
    }

    /// <summary>
    /// Fills the reserved slot with the turn <paramref name="create"/> builds, under the slot's lock: a turn whose
    /// <c>turn/completed</c> came before the <c>turn/start</c> response ends inside its constructor, on this thread, and
    /// its <see cref="Release"/> runs before the slot is filled; a turn still running releases later, after this.
    /// </summary>
    public CodexTurn Fill(Func<CodexTurn> create)
    {
        lock (_gate)
        {
            var turn = create();
            _active = turn.IsCompleted ? null : turn;
            _starting = false;
            return turn;
        }
    }

    /// <summary>The turn did not start: the slot is free again.</summary>
    public void Free()
    {
        lock (_gate)
        {
            _starting = false;
        }
    }

    /// <summary>The turn ended: the slot takes the next one.</summary>
    public void Release(CodexTurn turn)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_active, turn))
            {
                _active = null;
            }
        }
    }

    private void ThrowIfClosedLocked(string threadId)
    {
        if (_closedHow is { } how)
        {
            throw new CodexSessionClosedException($"session for thread {threadId}", how);
        }
    }
}
