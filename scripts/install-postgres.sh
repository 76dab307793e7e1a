#!/usr/bin/env bash
# A real PostgreSQL server with pgvector, for the `pg` back end's tests and the controller bench:
#
#   PostgreSQL 15   Debian's postgresql-15 (+ postgresql-server-dev-15 to build extensions)
#   pgvector        PGVECTOR_VERSION, C sources from the Go module proxy (github.com/pgvector/pgvector
#                   has no go.mod; the proxy serves its tags as modules all the same), built with the
#                   server's pg_config and installed into the server's extension directories
#
# Why build: Debian 12 has no pgvector package, and nothing may be downloaded from GitHub here. The
# server is not started: test/helpers/postgres.ts runs a throwaway cluster per test file.
# Idempotent: skips what is already installed at the pinned version. Needs root (apt, make install).
set -euo pipefail

PG_MAJOR=15
PGVECTOR_VERSION=v0.8.1
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK="$REPO_ROOT/.tools/pgvector-src"
LOG="$REPO_ROOT/.tools/logs/pgvector.log"
PG_CONFIG="/usr/lib/postgresql/$PG_MAJOR/bin/pg_config"
export GOTOOLCHAIN=local

die() { printf 'install-postgres: %s\n' "$*" >&2; exit 1; }
mkdir -p "$REPO_ROOT/.tools/logs"
start=$SECONDS

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo -n "$@"; fi; }

if [[ ! -x "$PG_CONFIG" || ! -x "/usr/lib/postgresql/$PG_MAJOR/bin/postgres" || ! -d "/usr/include/postgresql/$PG_MAJOR/server" ]]; then
	pkgs=(postgresql-$PG_MAJOR postgresql-server-dev-$PG_MAJOR make gcc)
	export DEBIAN_FRONTEND=noninteractive
	as_root apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >"$LOG" 2>&1 ||
		{ as_root apt-get update -qq >>"$LOG" 2>&1 && as_root apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >>"$LOG" 2>&1; } ||
		{ tail -20 "$LOG" >&2; die "apt-get install ${pkgs[*]} failed"; }
fi
[[ -x "$PG_CONFIG" ]] || die "$PG_CONFIG is missing after installing postgresql-server-dev-$PG_MAJOR"
printf 'postgres   %s\n' "$("/usr/lib/postgresql/$PG_MAJOR/bin/postgres" --version)"

control="$("$PG_CONFIG" --sharedir)/extension/vector.control"
want=${PGVECTOR_VERSION#v}
if [[ -f "$control" && -f "$("$PG_CONFIG" --pkglibdir)/vector.so" ]] && grep -q "default_version = '$want'" "$control"; then
	printf 'pgvector   %s reused\n' "$want"
	exit 0
fi

t0=$SECONDS
dir=$(go mod download -json "github.com/pgvector/pgvector@$PGVECTOR_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[[ -n "$dir" && -f "$dir/Makefile" ]] || die "go mod download github.com/pgvector/pgvector@$PGVECTOR_VERSION gave no sources"
rm -rf "$WORK" && cp -r "$dir" "$WORK" && chmod -R u+w "$WORK"
# OPTFLAGS="": no -march=native, so the build does not depend on the CPU it was made on.
{ make -C "$WORK" -j"$(nproc)" PG_CONFIG="$PG_CONFIG" OPTFLAGS="" && as_root make -C "$WORK" install PG_CONFIG="$PG_CONFIG"; } >>"$LOG" 2>&1 ||
	{ tail -30 "$LOG" >&2; die "building pgvector $PGVECTOR_VERSION failed (log: $LOG)"; }
grep -q "default_version = '$want'" "$control" || die "pgvector installed but $control does not say $want"
printf 'pgvector   %s built in %s s (total %s s)\n' "$want" "$((SECONDS - t0))" "$((SECONDS - start))"
