# Sourced by build/*.sh: sets CODEX_NEWEST and CODEX_FLOOR from build/codex-versions (the one place they are written).
_versions_file="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/codex-versions"
CODEX_NEWEST="$(sed -n 's/^newest=//p' "$_versions_file")"
CODEX_FLOOR="$(sed -n 's/^floor=//p' "$_versions_file")"
if [[ -z "$CODEX_NEWEST" || -z "$CODEX_FLOOR" ]]; then
  echo "build/codex-versions must hold newest=X.Y.Z and floor=X.Y.Z lines." >&2
  exit 2
fi
unset _versions_file
