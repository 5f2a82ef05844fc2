#!/usr/bin/env bash
# Runs every test project of the solution (unit tests and the real-codex integration tests on the newest and the floor
# codex of build/codex-versions) and ends with one line: "Tests: N passed, M failed, K skipped", summed over all test
# projects; when some failed, the line names them (and each is listed above it).
# Exits non-zero when a test failed, when the build failed, or when no test ran.
#
# Needs: the .NET SDK of global.json, npm (codex is installed into .codex-cli/ by build/install-codex.sh, the AG-UI
# client into .agui-client/ by build/install-agui-client.sh), node, and apt-get
# (for Debian's chromium and redis-server, when they are not installed yet).
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source build/codex-versions.sh

# The integration tests install codex on first use too; doing it up front keeps an install failure separate from
# test failures and out of test timings.
for version in "$CODEX_NEWEST" "$CODEX_FLOOR"; do
  if ! bash build/install-codex.sh "$version" >/dev/null; then
    echo "build/test.sh: installing codex $version failed; the real-binary tests cannot run." >&2
    echo "Tests: 0 passed, 1 failed, 0 skipped"
    exit 1
  fi
done

# The AG-UI tests run the official @ag-ui/client in node; install it up front for the same reason.
if ! bash build/install-agui-client.sh >/dev/null; then
  echo "build/test.sh: installing the AG-UI client (build/install-agui-client.sh) failed; the AG-UI tests cannot run." >&2
  echo "Tests: 0 passed, 1 failed, 0 skipped"
  exit 1
fi

# Installs a Debian package with apt-get (sudo unless root) when <command> (a name on PATH, or a path) is missing; a
# failure is reported, not fatal: the tests that need it then fail (they are never skipped).
apt_install_missing() { # <command> <package> <who needs it>
  command -v "$1" >/dev/null && return 0
  local sudo_=""; (( EUID == 0 )) || sudo_="sudo"
  if ! { $sudo_ apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq "$2"; } >/dev/null; then
    echo "build/test.sh: installing $2 with apt-get failed; $3 will fail." >&2
  fi
}

# The browser tests drive Debian's chromium (Playwright's own browser download cannot work here).
apt_install_missing /usr/bin/chromium chromium "the browser tests"
# The Orleans cluster tests run a real redis-server (membership and session records on Redis, as in production).
apt_install_missing redis-server redis-server "the Orleans cluster tests"

results="$root/TestResults/run-$(date +%Y%m%d-%H%M%S)-$$"
mkdir -p "$results"
# Tests save what a person should look at (the browser test's screenshot) beside the result files.
export CODEX_TEST_RESULTS="$results"

# Build everything once (samples and build tools too: they must keep compiling), then run each test project with
# its own named result file, so no two projects can overwrite each other's counts.
status=0
dotnet build CodexRuntime.sln "$@" || status=$?
projects=()
if (( status == 0 )); then
  for project in tests/*/*.csproj; do
    name="$(basename "$project" .csproj)"
    [[ "$name" == *Tests ]] || continue
    projects+=("$name")
    dotnet test "$project" --no-build --logger "trx;LogFileName=$name.trx" --results-directory "$results" "$@" || status=$?
  done
fi

passed=0; failed=0; skipped=0; files=0; failed_names=()
for name in "${projects[@]}"; do
  trx="$results/$name.trx"
  if [[ ! -f "$trx" ]]; then
    echo "build/test.sh: $name produced no results." >&2
    failed=$((failed + 1))
    continue
  fi
  files=$((files + 1))
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  value() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
  # VSTest's TRX counts a skipped test in "total" but not in "executed" (its notExecuted counter stays 0).
  skipped=$((skipped + $(value total) - $(value executed)))
  while IFS= read -r test; do
    [[ -n "$test" ]] && failed_names+=("$test")
  done < <(grep -o '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "$trx" | sed -n 's/.* testName="\([^"]*\)".*/\1/p' | sed 's/&quot;/"/g; s/&amp;/\&/g')
done

if (( status != 0 && failed == 0 )); then
  # The build broke or a test host crashed before it could report: count it, never report a clean run.
  echo "build/test.sh: dotnet test exited with $status (results from $files test project(s))." >&2
  failed=1
fi
if (( ${#failed_names[@]} > 0 )); then
  echo "Failed tests:"
  printf '  %s\n' "${failed_names[@]}"
  names="$(printf '%s; ' "${failed_names[@]:0:5}")"
  more=$(( ${#failed_names[@]} > 5 ? ${#failed_names[@]} - 5 : 0 ))
  echo "Tests: $passed passed, $failed failed, $skipped skipped (failed: ${names%; }$( (( more > 0 )) && echo " and $more more"))"
else
  echo "Tests: $passed passed, $failed failed, $skipped skipped"
fi
if (( failed > 0 )); then exit 1; fi
if (( passed == 0 )); then echo "build/test.sh: no test ran." >&2; exit 1; fi
exit 0
