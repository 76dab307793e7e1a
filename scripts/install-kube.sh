#!/usr/bin/env bash
# Build a real Kubernetes API server, etcd, kubectl and kube-controller-manager into <repo>/.tools/bin (git-ignored) for the
# controller tests (test/operator*.test.ts), the controller bench and the kubectl plugin's tests
# (test/kubectl-scai*.test.ts: `kubectl scai …` through the real kubectl's plugin discovery):
#
#   kube-apiserver   k8s.io/kubernetes/cmd/kube-apiserver, KUBE_VERSION
#   kubectl          k8s.io/kubernetes/cmd/kubectl, KUBE_VERSION (same wrapper recipe; most of its
#                    packages are kube-apiserver's, so it mostly reuses the Go build cache)
#   kube-controller-manager  k8s.io/kubernetes/cmd/kube-controller-manager, KUBE_VERSION (same recipe);
#                    the cluster suite runs only its garbage collector (and namespace controller), which
#                    deletes what Crossplane composed once the owner is gone
#   etcd             go.etcd.io/etcd/server/v3 (its main package is the etcd server), ETCD_VERSION
#
# Idempotent: a tool is reused when .tools/bin/<tool> exists and .tools/stamps/<tool> holds the same
# recipe key (pinned versions + build flags). Prints one line per tool: name, version, built|reused,
# seconds. On failure prints the tail of .tools/logs/<tool>.log.
#
# Why a wrapper module: k8s.io/kubernetes requires its staging modules (k8s.io/api, client-go, …) at
# v0.0.0 and points them at ./staging via `replace`, which Go ignores in a dependency. The wrapper
# module below re-points every staging module at the published v0.<minor>.<patch> tag of the same
# release (the list is read from kubernetes' own go.mod, so a version bump needs no edit here).
# etcd server is pinned to the minor kubernetes' go.mod requires for its etcd client (v3.7 for 1.37);
# Debian's etcd-server 3.4 is too old for it. Only the Go module proxy is used (no GitHub, no Docker).
#
# Environment: KUBE_TOOLS_FORCE=1 rebuilds; GOFLAGS/GOCACHE/GOMODCACHE/GOPROXY are honoured.
# Arguments: optional tool names (kube-apiserver, kubectl, kube-controller-manager, etcd) to install only those.
set -euo pipefail

KUBE_VERSION=v1.37.2            # k8s.io/kubernetes; staging modules at v0.37.2
ETCD_VERSION=v3.7.3             # go.etcd.io/etcd/server/v3
RECIPE_REV=r1                   # bump when the build recipe below changes

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS_DIR="$REPO_ROOT/.tools"
BIN="$TOOLS_DIR/bin" STAMPS="$TOOLS_DIR/stamps" LOGS="$TOOLS_DIR/logs"
WORK="$TOOLS_DIR/kube-src" # wrapper modules; kept so a rebuild reuses go.sum and the Go build cache
mkdir -p "$BIN" "$STAMPS" "$LOGS" "$WORK"
export GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:-} -buildvcs=false"

die() { printf 'install-kube: %s\n' "$*" >&2; exit 1; }
now() { printf '%s' "${EPOCHREALTIME:-$(date +%s)}"; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
stamp_key() { [[ -f "$STAMPS/$1" ]] && sed -n 1p "$STAMPS/$1" || true; }
write_stamp() { printf '%s\n%s\n' "$2" "$3" >"$STAMPS/$1.tmp" && mv -f "$STAMPS/$1.tmp" "$STAMPS/$1"; }

# One installer per checkout at a time (a concurrent run waits, then finds the stamps current).
exec 8>"$TOOLS_DIR/.kube.lock"
command -v flock >/dev/null && flock 8

# ------------------------------------------------------------------ kube-apiserver, kubectl
# One recipe for the k8s.io/kubernetes commands: a wrapper module (see the header) per command, built
# with the version stamped into component-base (what --version / `kubectl version` print) and into any
# further version packages given (client-go's, which kubectl's User-Agent carries).
key_kube_cmd() { echo "wrapper k8s.io/kubernetes@$KUBE_VERSION staging=v0.${KUBE_VERSION#v1.} cgo=0 go=$(go env GOVERSION) $RECIPE_REV"; }
build_kube_cmd() { # command (k8s.io/kubernetes/cmd/<command>) [extra version package …]
	local cmd="$1" dir="$WORK/$1" staging_v="v0.${KUBE_VERSION#v1.}" gomod minor pkg v
	minor=${KUBE_VERSION#v1.}; minor=${minor%%.*}
	pkg="k8s.io/kubernetes/cmd/$cmd"
	rm -rf "$dir" && mkdir -p "$dir" && cd "$dir"
	gomod=$(go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')
	[[ -f "$gomod" ]] || die "no go.mod for k8s.io/kubernetes@$KUBE_VERSION"
	{
		echo "module scai.local/$cmd"
		echo
		echo "go $(sed -n 's/^go //p' "$gomod")"
		echo
		echo "require k8s.io/kubernetes $KUBE_VERSION"
		echo
		echo "replace ("
		sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#\t\1 => \1 '"$staging_v"'#p' "$gomod"
		echo ")"
	} >go.mod
	printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$pkg" >tools.go
	go mod tidy
	local ldflags="-s -w"
	for v in k8s.io/component-base/version "${@:2}"; do
		ldflags+=" -X $v.gitVersion=$KUBE_VERSION -X $v.gitMajor=1 -X $v.gitMinor=$minor -X $v.gitTreeState=clean"
	done
	CGO_ENABLED=0 go build -trimpath -o "$BIN/$cmd.tmp" -ldflags "$ldflags" "$pkg"
	mv -f "$BIN/$cmd.tmp" "$BIN/$cmd"
}
key_kube_apiserver() { key_kube_cmd; }
build_kube_apiserver() { build_kube_cmd kube-apiserver && "$BIN/kube-apiserver" --version; }
key_kubectl() { key_kube_cmd; }
build_kubectl() { build_kube_cmd kubectl k8s.io/client-go/pkg/version && "$BIN/kubectl" version --client; }
key_kube_controller_manager() { key_kube_cmd; }
build_kube_controller_manager() { build_kube_cmd kube-controller-manager && "$BIN/kube-controller-manager" --version; }

# ------------------------------------------------------------------ etcd
key_etcd() { echo "wrapper go.etcd.io/etcd/server/v3@$ETCD_VERSION cgo=0 go=$(go env GOVERSION) $RECIPE_REV"; }
build_etcd() {
	local dir="$WORK/etcd"
	rm -rf "$dir" && mkdir -p "$dir" && cd "$dir"
	go mod init scai.local/etcd
	go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION"
	CGO_ENABLED=0 go build -trimpath -o "$BIN/etcd.tmp" -ldflags "-s -w" go.etcd.io/etcd/server/v3
	mv -f "$BIN/etcd.tmp" "$BIN/etcd"
	"$BIN/etcd" --version
}

install() { # tool
	local tool="$1" fn="${1//-/_}" key start status version
	start=$(now)
	key=$("key_$fn")
	if [[ -z "${KUBE_TOOLS_FORCE:-}" && -x "$BIN/$tool" && "$(stamp_key "$tool")" == "$key" ]]; then
		status=reused
	else
		rm -f "$STAMPS/$tool"
		if ! ("build_$fn") >"$LOGS/$tool.log" 2>&1; then
			printf 'install-kube: %s FAILED after %ss; last lines of %s:\n' "$tool" "$(elapsed "$start")" "$LOGS/$tool.log" >&2
			tail -n 40 "$LOGS/$tool.log" | sed 's/^/  | /' >&2
			return 1
		fi
		case "$tool" in
		kube-apiserver | kubectl | kube-controller-manager) version=$KUBE_VERSION ;;
		etcd) version=$ETCD_VERSION ;;
		esac
		write_stamp "$tool" "$key" "$version"
		status=built
	fi
	printf '%-16s %-10s %-7s %7ss\n' "$tool" "$(sed -n 2p "$STAMPS/$tool")" "$status" "$(elapsed "$start")"
}

command -v go >/dev/null || die "go is not on PATH"
tools=("$@")
((${#tools[@]})) || tools=(etcd kube-apiserver kubectl kube-controller-manager)
rc=0
for t in "${tools[@]}"; do
	case "$t" in etcd | kube-apiserver | kubectl | kube-controller-manager) install "$t" || rc=1 ;; *) die "unknown tool '$t'" ;; esac
done
exit "$rc"
