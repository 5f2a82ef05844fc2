#!/usr/bin/env bash
# Makes a new codex release the newest supported one, in one command:
#   1. installs it (build/install-codex.sh) and checks its schema in as build/schema/<version>/, next to the
#      previous newest's (kept: it records since when each method exists and what stays optional);
#   2. writes build/schema/<version>/drift-from-<previous>.txt (methods, types and fields added, removed, changed);
#   3. sets newest=<version> in build/codex-versions and regenerates the typed protocol (src/CodexRuntime/**/*.g.cs);
#   4. builds everything and runs the unit tests and the real-binary tests (drift and regeneration included) on the new
#      newest and the floor;
#   5. prints the drift report and the files that still name the previous version, for review.
# Commit what it changed once the tests pass. A test that fails names what the new release changed.
#
# Usage: build/bump-codex.sh VERSION        e.g. build/bump-codex.sh 0.171.0
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: build/bump-codex.sh VERSION   (a codex release on npm, newer than the current newest)" >&2
  exit 2
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source build/codex-versions.sh
previous="$CODEX_NEWEST"
version="$1"

echo "bump: codex $previous -> $version" >&2
dotnet run --project build/ProtocolGenerator -- --bump "$version"
report="build/schema/$version/drift-from-$previous.txt"

status=0
dotnet build CodexRuntime.sln -nologo -v quiet -clp:NoSummary || status=$?
if (( status == 0 )); then
  dotnet test tests/CodexRuntime.Tests --no-build -nologo || status=$?
  dotnet test tests/CodexRuntime.IntegrationTests --no-build -nologo || status=$?
fi

echo
echo "== drift report ($report) =="
cat "$report"
echo
echo "== files that still name $previous (docs and comments meaning 'the newest' need updating; history may stay) =="
git grep -l -F "$previous" -- ':!build/schema' ':!*.g.cs' ':!tests/CodexRuntime.Tests/Recordings' || true
echo
if (( status == 0 )); then
  echo "bump: codex $version is the newest; build and tests pass. Review the report, then commit."
else
  echo "bump: the build or tests failed on codex $version (exit $status); see above." >&2
fi
exit "$status"
