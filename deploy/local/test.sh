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

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

set +e
dotnet test Webhooks.sln -c Release --logger "console;verbosity=normal" --logger trx --results-directory "$results" "$@"
status=$?
set -e

# Each test assembly writes a TRX file whose <Counters> element has the run's totals.
count() {
    cat "$results"/*.trx 2>/dev/null | grep -o "<Counters [^>]*" | grep -o " $1=\"[0-9]*\"" | grep -o "[0-9]*" \
        | awk '{ n += $1 } END { print n + 0 }' || true
}
passed=$(count passed)
failed=$(count failed)
notrun=$(( $(count total) - $(count executed) ))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    # The build or the test host failed before any test could report: count that as a failure.
    failed=1
fi

echo
echo "${passed} passed, ${failed} failed, ${notrun} skipped"
exit "$status"
