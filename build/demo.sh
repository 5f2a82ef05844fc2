#!/usr/bin/env bash
# The README demo: installs the pinned codex (build/install-codex.sh) and runs samples/QuickRun, which starts the real
# codex app-server against the built-in FakeModelServer (offline, no account needed) and prints the streamed reply.
#
# Usage: build/demo.sh [prompt words...]        CODEX_VERSION=0.104.0 build/demo.sh   (any supported version)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CODEX_CLI_PATH="$(bash "$root/build/install-codex.sh" "${CODEX_VERSION:-0.169.0}")"
export CODEX_CLI_PATH
exec dotnet run --project "$root/samples/QuickRun" -- "$@"
