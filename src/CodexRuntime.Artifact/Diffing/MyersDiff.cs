namespace CodexRuntime.Artifact.Diffing;

/// <summary>
/// A shortest edit script between two sequences of line ids, by Myers' greedy algorithm ("An O(ND) difference
/// algorithm", 1986): for each edit count d it extends the furthest-reaching path on every diagonal, then walks back
/// through the saved frontiers. Time O((N+M)·D), memory O(D²) for the saved frontiers; both are bounded by
/// <see cref="LineDiff.MaxMinimalEdits"/> and <see cref="WorkBudget"/>, past which the caller falls back to a coarse
/// script.
/// </summary>
internal static class MyersDiff
{
    /// <summary>Comparisons and diagonal steps allowed before giving up, so a huge rewrite costs milliseconds, not minutes.</summary>
    public const long WorkBudget = 20_000_000;

    /// <summary>
    /// The script as one <see cref="LineDiffKind"/> per step (equal steps consume one line of each side), or null when
    /// the minimal script needs more than <paramref name="maxEdits"/> edits or the work budget ran out.
    /// </summary>
    public static List<LineDiffKind>? Compute(ReadOnlySpan<int> a, ReadOnlySpan<int> b, int maxEdits)
    {
        var n = a.Length;
        var m = b.Length;
        var limit = Math.Min(maxEdits, n + m);
        var offset = limit + 1;
        var v = new int[(2 * limit) + 3];
        var frontiers = new List<int[]>();
        long work = 0;
        for (var d = 0; d <= limit; d++)
        {
            for (var k = -d; k <= d; k += 2)
            {
                // Come down from diagonal k+1 (an insert) when it reached further, else right from k-1 (a delete).
                var x = k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
                var y = x - k;
                var snakeStart = x;
                while (x < n && y < m && a[x] == b[y])
                {
                    x++;
                    y++;
                }

                work += 1 + x - snakeStart;
                v[offset + k] = x;
                if (x >= n && y >= m)
                {
                    return WalkBack(frontiers, n, m, d);
                }
            }

            if (work > WorkBudget)
            {
                return null;
            }

            frontiers.Add(v.AsSpan(offset - d, (2 * d) + 1).ToArray());
        }

        return null;
    }

    /// <summary>Rebuilds the script from the end, using the frontier of each earlier edit count.</summary>
    private static List<LineDiffKind> WalkBack(List<int[]> frontiers, int n, int m, int edits)
    {
        var steps = new List<LineDiffKind>(n + m);
        var (x, y) = (n, m);
        for (var d = edits; d > 0; d--)
        {
            var previous = frontiers[d - 1]; // diagonals -(d-1)..(d-1), at index k + d - 1
            var k = x - y;
            var down = k == -d || (k != d && previous[k - 1 + d - 1] < previous[k + 1 + d - 1]);
            var fromK = down ? k + 1 : k - 1;
            var fromX = previous[fromK + d - 1];
            var fromY = fromX - fromK;
            var (snakeX, snakeY) = down ? (fromX, fromY + 1) : (fromX + 1, fromY);
            for (; x > snakeX && y > snakeY; x--, y--)
            {
                steps.Add(LineDiffKind.Equal);
            }

            steps.Add(down ? LineDiffKind.Insert : LineDiffKind.Delete);
            (x, y) = (fromX, fromY);
        }

        for (; x > 0; x--)
        {
            steps.Add(LineDiffKind.Equal);
        }

        steps.Reverse();
        return steps;
    }
}
