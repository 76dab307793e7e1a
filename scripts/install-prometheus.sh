#!/usr/bin/env bash
# Build a real Prometheus server and promtool into <repo>/.tools/bin (git-ignored) for the metrics
# e2e test (test/e2e/metrics.e2e.test.ts), which scrapes function-scai and the controller and checks
# every dashboard and alert expression, and `promtool check rules` on package/monitoring/alerts.yaml:
#
#   prometheus   github.com/prometheus/prometheus/cmd/prometheus, PROMETHEUS_VERSION
#   promtool     github.com/prometheus/prometheus/cmd/promtool,   PROMETHEUS_VERSION
#
# Only the Go module proxy is used. The module is Prometheus 3.x published under its Go tag scheme
# (v0.316.0 = Prometheus 3.16.0); the proxy here answers 403 for v0.316.1/v0.316.2, so the pin falls
# back to the first listed version it serves. Built without the `builtinassets` tag: the web UI is not
# embedded (the tests use the HTTP API only, /api/v1/*), which keeps the build free of npm assets.
# As in scripts/lib-tools.sh, `go install pkg@v` is not usable (the proxy refuses @v/list), so both
# binaries are built from one throw-away module (one `go get`, one build cache warm-up).
#
# Idempotent: a tool is reused when .tools/bin/<tool> exists and .tools/stamps/<tool> holds the same
# recipe key. Prints one line per tool: name, version, built|reused, seconds. On failure prints the
# tail of .tools/logs/prometheus.log. Environment: PROMETHEUS_TOOLS_FORCE=1 rebuilds;
# GOFLAGS/GOCACHE/GOMODCACHE/GOPROXY are honoured.
set -euo pipefail

PROMETHEUS_MODULE=github.com/prometheus/prometheus
PROMETHEUS_VERSIONS=(v0.316.2 v0.316.1 v0.316.0) # preferred first; the proxy serves v0.316.0
RECIPE_REV=r1                                    # bump when the build recipe below changes

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
TOOLS_DIR="$REPO_ROOT/.tools"
# The build runs in a directory of its own, not .tools/tmp: install-tools.sh empties that on exit,
# and setup-tests.sh may run it beside this script.
TOOLS_BIN="$TOOLS_DIR/bin" TOOLS_STAMPS="$TOOLS_DIR/stamps" TOOLS_LOGS="$TOOLS_DIR/logs" TOOLS_TMP="$TOOLS_DIR/prometheus-src"
# shellcheck source=scripts/lib-tools.sh
source "$SCRIPT_DIR/lib-tools.sh"
mkdir -p "$TOOLS_BIN" "$TOOLS_STAMPS" "$TOOLS_LOGS" "$TOOLS_TMP"
export GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:-} -buildvcs=false"

# One installer per checkout at a time (a concurrent run waits, then finds the stamps current).
exec 9>"$TOOLS_DIR/.prometheus.lock"
command -v flock >/dev/null && flock 9

command -v go >/dev/null || tools_die "go is not on PATH"

# The key names the preferred pin list (not the resolved version), so the reuse check never asks
# the network; PROMETHEUS_TOOLS_FORCE=1 re-resolves.
key="module=$PROMETHEUS_MODULE versions=${PROMETHEUS_VERSIONS[*]} cgo=0 go=$(go env GOVERSION) $RECIPE_REV"

build() { # -> builds both binaries into $TOOLS_BIN, prints the version used on stdout's last line
	local ver dir ldflags
	ver=$(go_first_available "$PROMETHEUS_MODULE" "${PROMETHEUS_VERSIONS[@]}") || tools_die "no $PROMETHEUS_MODULE version in ${PROMETHEUS_VERSIONS[*]} is served"
	dir="$TOOLS_TMP/build"
	rm -rf "$dir" && mkdir -p "$dir"
	# v0.MMM.P is Prometheus 3.MMM.P with the leading 3 dropped: v0.316.0 -> 3.16.0.
	local minor=${ver#v0.3} && minor=${minor%%.*} patch=${ver##*.}
	ldflags="-s -w -X github.com/prometheus/common/version.Version=3.$minor.$patch \
		-X github.com/prometheus/common/version.Revision=$ver -X github.com/prometheus/common/version.Branch=module-proxy \
		-X github.com/prometheus/common/version.BuildUser=scai -X github.com/prometheus/common/version.BuildDate=module-proxy"
	# Chained with &&: this runs as the condition of an `if`, where `set -e` does not apply.
	(
		cd "$dir" &&
			go mod init tools.local/prometheus &&
			# The packages, not the module: `go get` records go.sum entries for what it is asked to build.
			go get "$PROMETHEUS_MODULE/cmd/prometheus@$ver" "$PROMETHEUS_MODULE/cmd/promtool@$ver" &&
			CGO_ENABLED=0 go build -mod=readonly -trimpath -ldflags "$ldflags" -o "$dir/prometheus.out" "$PROMETHEUS_MODULE/cmd/prometheus" &&
			CGO_ENABLED=0 go build -mod=readonly -trimpath -ldflags "$ldflags" -o "$dir/promtool.out" "$PROMETHEUS_MODULE/cmd/promtool"
	) || { rm -rf "$dir"; return 1; }
	tools_install_file "$dir/promtool.out" promtool && tools_install_file "$dir/prometheus.out" prometheus || return 1
	rm -rf "$dir"
	"$TOOLS_BIN/prometheus" --version && "$TOOLS_BIN/promtool" --version || return 1
	echo "$ver"
}

start=$(tools_now)
if [[ -z "${PROMETHEUS_TOOLS_FORCE:-}" ]] && tools_is_current prometheus "$key" && tools_is_current promtool "$key"; then
	status=reused
else
	rm -f "$TOOLS_STAMPS/prometheus" "$TOOLS_STAMPS/promtool"
	if ! build >"$TOOLS_LOGS/prometheus.log" 2>&1; then
		printf 'install-prometheus: FAILED after %ss; last lines of %s:\n' "$(tools_elapsed "$start")" "$TOOLS_LOGS/prometheus.log" >&2
		tail -n 40 "$TOOLS_LOGS/prometheus.log" | sed 's/^/  | /' >&2
		exit 1
	fi
	version=$(tail -n1 "$TOOLS_LOGS/prometheus.log")
	took=$(tools_elapsed "$start")
	tools_write_stamp prometheus "$key" "$version" "built in ${took}s"
	tools_write_stamp promtool "$key" "$version" "built in ${took}s"
	status=built
fi
for t in prometheus promtool; do
	printf '%-16s %-10s %-7s %7ss\n' "$t" "$(tools_stamp_version "$t")" "$status" "$(tools_elapsed "$start")"
done
