#!/usr/bin/env bash
# The whole test suite against real PostgreSQL and RabbitMQ on loopback.
#
#   deploy/local/test.sh [extra dotnet test arguments, e.g. --filter Name~Outbox]
#
# Starts (installing from Debian's packages where missing) the project's own PostgreSQL and
# RabbitMQ through services.sh, points the tests at them, runs `dotnet test` on the solution and
# ends with one line "N passed, N failed". Exit code 0 only when nothing failed.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
cd "$REPO"

"$REPO/deploy/local/services.sh" start
eval "$("$REPO/deploy/local/services.sh" env)"

# Keep the run quiet and repeatable on a fresh machine.
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

set +e
dotnet test Webhooks.sln -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# dotnet test prints one summary per test assembly: "Passed!  - Failed: 0, Passed: 88, Skipped: 0, ...".
count() { grep -Eo "$1: +[0-9]+" "$log" | awk '{ n += $2 } END { print n + 0 }'; }
passed=$(count Passed)
failed=$(count Failed)
skipped=$(count Skipped)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    # The build or the test host failed before any test could report: count that as a failure.
    failed=1
fi

echo
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
