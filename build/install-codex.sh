#!/usr/bin/env bash
# Installs a pinned @openai/codex with npm into .codex-cli/<version>/ inside this repository (ignored by git) and
# prints the absolute path of the native codex binary on stdout. Idempotent: when that version is already there it
# only prints the path. Progress goes to stderr, so `CODEX=$(build/install-codex.sh 0.104.0)` works.
#
# Usage: build/install-codex.sh [VERSION]      (default: newest in build/codex-versions; any release from its floor on)
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/codex-versions.sh"
version="${1:-${CODEX_VERSION:-$CODEX_NEWEST}}"
if [[ ! "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
  echo "install-codex: '$version' is not a version like $CODEX_NEWEST" >&2
  exit 2
fi

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="$repo_root/.codex-cli/$version"

case "$(uname -s)" in
  Linux) os=linux; vendor_os=unknown-linux-musl ;;
  Darwin) os=darwin; vendor_os=apple-darwin ;;
  MINGW*|MSYS*|CYGWIN*) os=win32; vendor_os=pc-windows-msvc ;;
  *) echo "install-codex: unsupported OS $(uname -s)" >&2; exit 2 ;;
esac
case "$(uname -m)" in
  x86_64|amd64) arch=x64; triple_arch=x86_64 ;;
  aarch64|arm64) arch=arm64; triple_arch=aarch64 ;;
  *) echo "install-codex: unsupported CPU $(uname -m)" >&2; exit 2 ;;
esac
exe=codex; [[ $os == win32 ]] && exe=codex.exe
vendor="$prefix/node_modules/@openai/codex-$os-$arch/vendor/$triple_arch-$vendor_os"

find_binary() {
  # 0.169.0 keeps the binary under vendor/<triple>/bin/, 0.104.0 under vendor/<triple>/codex/.
  for candidate in "$vendor/bin/$exe" "$vendor/codex/$exe" \
                   "$prefix/node_modules/@openai/codex/vendor/$triple_arch-$vendor_os/codex/$exe"; do
    if [[ -x "$candidate" ]]; then echo "$candidate"; return 0; fi
  done
  return 1
}

if binary="$(find_binary)" && [[ "$("$binary" --version 2>/dev/null)" == "codex-cli $version" ]]; then
  echo "$binary"
  exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "install-codex: npm is required (install Node.js 18 or newer) to fetch @openai/codex@$version" >&2
  exit 3
fi

echo "install-codex: installing @openai/codex@$version into $prefix ..." >&2
mkdir -p "$prefix"
# A lock keeps parallel callers (test projects, demo) from installing into the same folder at once.
exec 9>"$prefix.lock"
if command -v flock >/dev/null 2>&1; then flock 9; fi
if ! binary="$(find_binary)"; then
  npm install --prefix "$prefix" --no-audit --no-fund --no-save --loglevel=error "@openai/codex@$version" >&2
fi

if ! binary="$(find_binary)"; then
  echo "install-codex: npm installed @openai/codex@$version but no native binary was found under $vendor" >&2
  exit 4
fi
reported="$("$binary" --version 2>/dev/null || true)"
if [[ "$reported" != "codex-cli $version" ]]; then
  echo "install-codex: $binary reports '$reported', expected 'codex-cli $version'" >&2
  exit 4
fi
echo "$binary"
