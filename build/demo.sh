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
CODEX_CLI_PATH="$(bash "$root/build/install-codex.sh" "${CODEX_VERSION:-0.169.0}")"
export CODEX_CLI_PATH
exec dotnet run --project "$root/samples/QuickRun" -- "$@"
