#!/usr/bin/env bash
# Installs the official AG-UI client (@ag-ui/client and @ag-ui/core, pinned by build/agui-client/package-lock.json)
# with `npm ci` into .agui-client/ at the repository root (ignored by git) and prints that folder's absolute path on
# stdout; the AG-UI tests run it with node from there (tests/CodexRuntime.Web.Tests/AGUI/agui-run.mjs).
# Idempotent: when the folder already holds an install of the current lock file it only prints the path. Safe when
# several test processes call it at once (flock). Progress goes to stderr.
# Only the runtime packages are installed (--omit=dev): esbuild is needed by build/agui-client/bundle.sh alone.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source_dir="$repo_root/build/agui-client"
prefix="$repo_root/.agui-client"
stamp="$prefix/.installed-lock"

# The stamp holds a copy of the lock file the install was made from: equal files mean the locked versions are there.
installed() {
  [[ -f "$stamp" && -d "$prefix/node_modules/@ag-ui/client" ]] && cmp -s "$stamp" "$source_dir/package-lock.json"
}

if installed; then
  echo "$prefix"
  exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "install-agui-client: npm is required (install Node.js 18 or newer) to install @ag-ui/client" >&2
  exit 3
fi

mkdir -p "$prefix"
# One installer at a time; a caller that waited finds the work done and leaves it alone.
exec 9>"$prefix/.install-lock"
if command -v flock >/dev/null 2>&1; then flock 9; fi
if ! installed; then
  echo "install-agui-client: npm ci into $prefix ..." >&2
  rm -f "$stamp"
  cp "$source_dir/package.json" "$source_dir/package-lock.json" "$prefix/"
  (cd "$prefix" && npm ci --omit=dev --no-audit --no-fund --loglevel=error) >&2
  cp "$source_dir/package-lock.json" "$stamp"
fi

if ! installed; then
  echo "install-agui-client: npm ci finished but $prefix/node_modules/@ag-ui/client is missing" >&2
  exit 4
fi
echo "$prefix"
