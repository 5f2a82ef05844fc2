#!/usr/bin/env bash
# The README demo: installs the pinned codex (build/install-codex.sh) and runs samples/QuickRun, which drives the real
# codex app-server through a CodexClient session against the built-in FakeModelServer (offline, no account needed).
# The scripted model makes codex run one harmless command (ls of a temporary folder) and then answers with what it
# saw, so the output shows the command item, the streamed text and the final answer. --real uses your own codex
# login and the current directory instead.
#
# Usage: build/demo.sh [--real] [prompt words...]      CODEX_VERSION=0.104.0 build/demo.sh   (any supported version)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/build/codex-versions.sh"
echo "demo: installing codex ${CODEX_VERSION:-$CODEX_NEWEST} (once; later runs reuse .codex-cli/) ..." >&2
CODEX_CLI_PATH="$(bash "$root/build/install-codex.sh" "${CODEX_VERSION:-$CODEX_NEWEST}")"
export CODEX_CLI_PATH
# A fresh clone restores and compiles first (a minute or two): say so and show it, so the demo never looks hung.
echo "demo: building samples/QuickRun (restore + compile; quick once built) ..." >&2
dotnet build "$root/samples/QuickRun" -nologo -v minimal -clp:NoSummary >&2
echo "demo: running QuickRun with codex at $CODEX_CLI_PATH" >&2
exec dotnet run --no-build --project "$root/samples/QuickRun" -- "$@"
