#!/usr/bin/env bash
# Install the local Crossplane toolchain into <repo>/.tools/bin (git-ignored):
#
#   crossplane           Crossplane CLI (crank), for `crossplane render`
#   crossplane-core      Crossplane itself (`crossplane core init|start`, same module and version),
#                        its CRDs in .tools/lib/crossplane-core/crds; for the cluster suite
#   function-auto-ready  composition function, run with --insecure for render
#   kcl                  KCL command line (version, run, fmt, lint, test)
#   function-kcl-standin composition function speaking function-kcl's contract: a
#                        STAND-IN over the real KCL engine, NOT github.com/crossplane-contrib/function-kcl
#   ruff, mypy           lint and type-check those two Python programs (scripts/lint-python.sh)
#
# Idempotent and cheap to re-run: a tool is reused when .tools/bin/<tool> exists
# and .tools/stamps/<tool> records the same recipe (pinned version + inputs).
# Prints one line per tool: name, version, built|reused, seconds. Quiet
# otherwise; on failure it prints the tail of .tools/logs/<tool>.log.
#
# Where these come from (only package registries are reachable from here):
#  - crossplane, crossplane-core and function-auto-ready are built from the Go module proxy.
#    The proxy here refuses crossplane v2.1.8 (.info/.zip answer 403) and
#    v2.1.4's checksum-DB entry, so the crossplane pin falls back to the newest
#    v2.1.x it serves whole, v2.1.3; the line printed says so. `go install
#    pkg@version` is not usable (it needs the module's @v/list, which the proxy
#    refuses), so the build goes through a throw-away module + `go build -o`.
#    function-auto-ready's go.mod declares github.com/crossplane/function-auto-ready
#    while the proxy serves it only as github.com/crossplane-contrib/function-auto-ready,
#    so it is built inside its module-cache directory with its own go.sum.
#  - kcl and function-kcl cannot be built from Go: every function-kcl module zip
#    and the whole kcl-lang.io module host are refused by the proxy. They run
#    on the kcl-lib PyPI wheel (KCL core 0.12.3, the same core release that
#    function-kcl v0.12.2 embeds via kcl-lang.io/lib v0.12.3; the matching Go
#    CLI would be kcl-lang.io/cli v0.12.7, the version function-kcl v0.12.2
#    requires) in .tools/venv, with Crossplane's Python function SDK for the
#    gRPC server. The programs are scripts/kcl_cli.py and scripts/function_kcl_standin.py
#    (copied into .tools/lib; their contents are part of the recipe, so an edit
#    reinstalls them). The stand-in implements function-kcl v0.12.2's contract for
#    target Default/Resources and inline/local sources, and is installed as
#    .tools/bin/function-kcl-standin so it is never mistaken for the real one.
#  - ruff and mypy (PyPI) share that venv, so mypy checks against the pinned packages.
#
# Environment knobs:
#   TOOLS_JOBS=N    N>1 runs the lanes (crossplane | function-auto-ready |
#                   kcl+function-kcl) concurrently; default 1 = sequential, which
#                   measured faster on 2 cores (cold: 389 s vs 427 s in parallel;
#                   go build already uses -p=ncpu)
#   TOOLS_FORCE=1   rebuild even when the stamp matches (the reuse check never
#                   asks the network, so e.g. a crossplane v2.1.8 that the proxy
#                   starts serving is only picked up on a forced rebuild)
#   TOOLS_PYTHON    interpreter for the venv (default python3, needs >= 3.11)
#   GOFLAGS, GOCACHE, GOMODCACHE, GOPROXY are honoured as usual.
# Arguments: optional tool names to install only those.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
# shellcheck source=scripts/lib-tools.sh
source "$SCRIPT_DIR/lib-tools.sh"

# ------------------------------------------------------------------- pins
CROSSPLANE_MODULE=github.com/crossplane/crossplane/v2
CROSSPLANE_PKG=$CROSSPLANE_MODULE/cmd/crank
CROSSPLANE_VERSION=v2.1.8
CROSSPLANE_FALLBACK_VERSIONS=(v2.1.3) # newest v2.1.x the proxy here serves whole
CROSSPLANE_CORE_PKG=$CROSSPLANE_MODULE/cmd/crossplane # the core (`crossplane core start`), same module

FUNCTION_AUTO_READY_MODULE=github.com/crossplane-contrib/function-auto-ready
FUNCTION_AUTO_READY_VERSION=v0.7.0

FUNCTION_KCL_VERSION=v0.12.2 # contract implemented by the stand-in
KCL_VERSION=0.12.3           # kcl-lib wheel == kcl-lang.io/lib in function-kcl v0.12.2
PY_PINS=(
	"kcl-lib==$KCL_VERSION"
	crossplane-function-sdk-python==0.15.1
	grpcio==1.84.0
	grpcio-reflection==1.84.0
	protobuf==7.36.2
	PyYAML==6.0.3
)
PY_LINT_PINS=(
	ruff==0.17.6
	mypy==2.4.1
	types-PyYAML==6.0.12.20261122
	types-protobuf==7.35.1.20260906
	types-grpcio==1.85.0.20261028
)

ALL_TOOLS=(crossplane crossplane-core function-auto-ready kcl function-kcl-standin ruff mypy)

# ------------------------------------------------------------------- layout
TOOLS_DIR="$REPO_ROOT/.tools"
TOOLS_BIN="$TOOLS_DIR/bin"
TOOLS_STAMPS="$TOOLS_DIR/stamps"
TOOLS_LOGS="$TOOLS_DIR/logs"
TOOLS_TMP="$TOOLS_DIR/tmp"
TOOLS_PYTHON=${TOOLS_PYTHON:-python3}
TOOLS_JOBS=${TOOLS_JOBS:-1}
TOOLS_FORCE=${TOOLS_FORCE:-}
mkdir -p "$TOOLS_BIN" "$TOOLS_STAMPS" "$TOOLS_LOGS" "$TOOLS_TMP" "$TOOLS_DIR/lib"

# One installer at a time per checkout (concurrent runs wait).
if command -v flock >/dev/null 2>&1; then
	exec 9>"$TOOLS_DIR/.lock"
	flock 9
fi
trap 'rm -rf "$TOOLS_TMP"/*' EXIT

# ------------------------------------------------------ recipes: keys + build
# key_<tool> prints the recipe key; build_<tool> KEY installs and stamps.

key_crossplane() { echo "go-tmpmod $CROSSPLANE_PKG@$CROSSPLANE_VERSION fallbacks=${CROSSPLANE_FALLBACK_VERSIONS[*]} cgo=0 r1"; }
build_crossplane() {
	local v note=""
	v=$(go_first_available "$CROSSPLANE_MODULE" "$CROSSPLANE_VERSION" "${CROSSPLANE_FALLBACK_VERSIONS[@]}")
	[[ "$v" == "$CROSSPLANE_VERSION" ]] || note="pinned $CROSSPLANE_VERSION not served by the Go proxy; fell back"
	go_build_via_tmp_module crossplane "$CROSSPLANE_PKG" "$CROSSPLANE_MODULE" "$v" 0 \
		"-s -w -X $CROSSPLANE_MODULE/internal/version.version=$v"
	"$TOOLS_BIN/crossplane" version --client
	tools_write_stamp crossplane "$1" "$v" "$note"
}

# The Crossplane core (controllers, package manager) from the same module and version as the CLI, for
# the cluster suite (test/cluster). Installed as crossplane-core: its binary is also called crossplane.
key_crossplane-core() { echo "go-tmpmod $CROSSPLANE_CORE_PKG@$CROSSPLANE_VERSION fallbacks=${CROSSPLANE_FALLBACK_VERSIONS[*]} cgo=0 crds r2"; }
build_crossplane-core() {
	local v note=""
	v=$(go_first_available "$CROSSPLANE_MODULE" "$CROSSPLANE_VERSION" "${CROSSPLANE_FALLBACK_VERSIONS[@]}")
	[[ "$v" == "$CROSSPLANE_VERSION" ]] || note="pinned $CROSSPLANE_VERSION not served by the Go proxy; fell back"
	go_build_via_tmp_module crossplane-core "$CROSSPLANE_CORE_PKG" "$CROSSPLANE_MODULE" "$v" 0 \
		"-s -w -X $CROSSPLANE_MODULE/internal/version.version=$v"
	"$TOOLS_BIN/crossplane-core" core start --help >/dev/null
	# `crossplane core init --crds-path` installs Crossplane's own CRDs from the module's cluster/crds
	# (in a cluster they come with the image); kept beside the binary, from the same version.
	local dir crds="$TOOLS_DIR/lib/crossplane-core/crds"
	dir=$(go mod download -json "$CROSSPLANE_MODULE@$v" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' | head -n1)
	[[ -d "$dir/cluster/crds" ]] || { echo "no cluster/crds in $CROSSPLANE_MODULE@$v ($dir)"; return 1; }
	rm -rf "$crds.tmp" && mkdir -p "$crds.tmp" && cp "$dir"/cluster/crds/*.yaml "$crds.tmp/" && chmod -R u+w "$crds.tmp"
	rm -rf "$crds" && mv "$crds.tmp" "$crds"
	tools_write_stamp crossplane-core "$1" "$v" "$note"
}

key_function-auto-ready() { echo "go-moddir $FUNCTION_AUTO_READY_MODULE@$FUNCTION_AUTO_READY_VERSION cgo=0 r1"; }
build_function-auto-ready() {
	go_build_in_module_dir function-auto-ready "$FUNCTION_AUTO_READY_MODULE" "$FUNCTION_AUTO_READY_VERSION" 0 "-s -w"
	"$TOOLS_BIN/function-auto-ready" --help >/dev/null
	tools_write_stamp function-auto-ready "$1" "$FUNCTION_AUTO_READY_VERSION"
}

# The Python tools share one venv: every build asks for the same pins (so none rebuilds it for
# another), and every Python tool's key holds the venv's key (so a venv change reinstalls them all).
ensure_venv() { tools_ensure_venv "${PY_PINS[@]}" "${PY_LINT_PINS[@]}"; }
venv_key() { tools_venv_key "${PY_PINS[@]}" "${PY_LINT_PINS[@]}"; }

key_kcl() { echo "py kcl-cli $(venv_key) src=$(tools_sha256 <"$SCRIPT_DIR/kcl_cli.py") r2"; }
build_kcl() {
	ensure_venv
	tools_install_py_script "$SCRIPT_DIR/kcl_cli.py"
	tools_write_py_launcher kcl kcl_cli.py
	local v
	v=$("$TOOLS_BIN/kcl" version | sed -n 's/^Version: \([^ ]*\).*/\1/p')
	[[ -n "$v" ]] || { echo "kcl version printed nothing"; return 1; }
	tools_write_stamp kcl "$1" "$v" "kcl-lib wheel (PyPI); Go kcl-lang.io/cli not served"
}

key_function-kcl-standin() { echo "py function-kcl-standin contract=$FUNCTION_KCL_VERSION $(venv_key) src=$(tools_sha256 <"$SCRIPT_DIR/function_kcl_standin.py") r2"; }
build_function-kcl-standin() {
	ensure_venv
	tools_install_py_script "$SCRIPT_DIR/function_kcl_standin.py"
	tools_write_py_launcher function-kcl-standin function_kcl_standin.py
	# Earlier versions of this script installed the stand-in as .tools/bin/function-kcl (program
	# .tools/lib/function_kcl.py); remove them so nobody mistakes it for the real function-kcl.
	rm -f "$TOOLS_BIN/function-kcl" "$TOOLS_STAMPS/function-kcl" "$TOOLS_DIR/lib/function_kcl.py"
	"$TOOLS_BIN/function-kcl-standin" --help >/dev/null
	local kv
	kv=$("$TOOLS_BIN/function-kcl-standin" --version | sed -n 's/.*KCL \([^ ]*\).*/\1/p')
	tools_write_stamp function-kcl-standin "$1" "$FUNCTION_KCL_VERSION-compat" "STAND-IN on kcl-lib $kv, not the real function-kcl (its Go module is not served here)"
}

key_ruff() { echo "py ruff $(venv_key) r1"; }
build_ruff() {
	ensure_venv
	tools_write_py_module_launcher ruff ruff
	tools_write_stamp ruff "$1" "$("$TOOLS_BIN/ruff" --version | sed 's/^ruff //')"
}

key_mypy() { echo "py mypy $(venv_key) r1"; }
build_mypy() {
	ensure_venv
	tools_write_py_module_launcher mypy mypy
	tools_write_stamp mypy "$1" "$("$TOOLS_BIN/mypy" --version | sed -n 's/^mypy \([^ ]*\).*/\1/p')"
}

# ------------------------------------------------------------------- driver
# install_tool TOOL -> prints the tool's line; returns non-zero on failure.
install_tool() {
	local tool="$1" key start status
	start=$(tools_now)
	key=$("key_$tool")
	if [[ -z "$TOOLS_FORCE" ]] && tools_is_current "$tool" "$key"; then
		status=reused
	else
		rm -f "$TOOLS_STAMPS/$tool"
		if ! ("build_$tool" "$key") >"$TOOLS_LOGS/$tool.log" 2>&1; then
			{
				printf 'install-tools: %s FAILED after %ss; last lines of %s:\n' "$tool" "$(tools_elapsed "$start")" "$TOOLS_LOGS/$tool.log"
				tail -n 40 "$TOOLS_LOGS/$tool.log" | sed 's/^/  | /'
				# An empty log is what a full disk leaves (the build cannot even write its own output):
				# say how much room there is, so the failure names its cause.
				[[ -s "$TOOLS_LOGS/$tool.log" ]] || df -h "$TOOLS_DIR" "${TMPDIR:-/tmp}" | sed 's/^/  | (log is empty) /'
			} >&2
			return 1
		fi
		status=built
	fi
	local note
	note=$(tools_stamp_note "$tool")
	printf '%-20s %-16s %-6s %6ss%s\n' "$tool" "$(tools_stamp_version "$tool")" "$status" "$(tools_elapsed "$start")" "${note:+  ($note)}"
}

main() {
	local total_start tools=("$@") t rc=0
	total_start=$(tools_now)
	((${#tools[@]})) || tools=("${ALL_TOOLS[@]}")
	for t in "${tools[@]}"; do
		declare -F "build_$t" >/dev/null || tools_die "unknown tool '$t' (known: ${ALL_TOOLS[*]})"
	done
	command -v go >/dev/null || tools_die "go is not on PATH"

	if ((TOOLS_JOBS <= 1)); then
		for t in "${tools[@]}"; do install_tool "$t" || rc=1; done
	else
		# Lanes: each Go tool alone; the Python tools share one lane (one venv).
		local -a lanes=() pids=() outs=()
		local py_lane=""
		for t in "${tools[@]}"; do
			case "$t" in
			kcl | function-kcl-standin | ruff | mypy) py_lane+="$t " ;;
			*) lanes+=("$t") ;;
			esac
		done
		[[ -n "$py_lane" ]] && lanes+=("${py_lane% }")
		local i=0 lane
		for lane in "${lanes[@]}"; do
			outs[i]="$TOOLS_TMP/lane.$i.out"
			(
				r=0
				for t in $lane; do install_tool "$t" || r=1; done
				exit "$r"
			) >"${outs[i]}" &
			pids[i]=$!
			i=$((i + 1))
		done
		for i in "${!pids[@]}"; do wait "${pids[i]}" || rc=1; done
		for i in "${!outs[@]}"; do cat "${outs[i]}"; done
	fi
	printf '%-20s %-16s %-6s %6ss\n' total "" "" "$(tools_elapsed "$total_start")"
	return "$rc"
}

main "$@"
