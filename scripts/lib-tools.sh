# shellcheck shell=bash
# Helpers for scripts/install-tools.sh. Sourced, never executed on its own.
#
# Expects the caller to set: TOOLS_DIR (absolute), TOOLS_BIN, TOOLS_STAMPS,
# TOOLS_LOGS, TOOLS_TMP. Everything a helper prints on success goes to the
# per-tool log in $TOOLS_LOGS; the caller shows the log only when a step fails.

# ---------------------------------------------------------------- small utils

tools_die() { printf 'install-tools: %s\n' "$*" >&2; exit 1; }

# Seconds since the epoch with sub-second precision (bash >= 5 has
# EPOCHREALTIME; fall back to whole seconds elsewhere).
tools_now() { printf '%s' "${EPOCHREALTIME:-$(date +%s)}"; }

# tools_elapsed START -> seconds since START, one decimal.
tools_elapsed() { awk -v a="$1" -v b="$(tools_now)" 'BEGIN { printf "%.1f", b - a }'; }

tools_sha256() { sha256sum | cut -c1-16; }

# ------------------------------------------------------------------- stamps
# A stamp is two lines: the recipe key (pinned version + every input that
# changes the result) and the version actually installed. A tool is reused when
# its binary exists and line 1 equals the key the script computes now.

tools_stamp_line() { # N tool
	if [[ -f "$TOOLS_STAMPS/$2" ]]; then sed -n "${1}p" "$TOOLS_STAMPS/$2"; fi
}
tools_stamp_key()     { tools_stamp_line 1 "$1"; }
tools_stamp_version() { tools_stamp_line 2 "$1"; }
tools_stamp_note()    { tools_stamp_line 3 "$1"; }
tools_write_stamp() { # tool key version [note]
	printf '%s\n%s\n%s\n' "$2" "$3" "${4:-}" >"$TOOLS_STAMPS/$1.tmp"
	mv -f "$TOOLS_STAMPS/$1.tmp" "$TOOLS_STAMPS/$1"
}
tools_is_current() { # tool key
	[[ -x "$TOOLS_BIN/$1" && "$(tools_stamp_key "$1")" == "$2" ]]
}

# Atomically put a freshly built file in place as $TOOLS_BIN/<tool>.
tools_install_file() { # src tool
	chmod 0755 "$1"
	mv -f "$1" "$TOOLS_BIN/$2"
}

# ------------------------------------------------------------------------ Go
# The Go proxy reachable from here serves only some module versions (others
# answer "403 This module version is not available", and whole hosts such as
# kcl-lang.io are refused). go_first_available picks the first version of a
# module in a list that downloads (and verifies against the checksum DB).

go_first_available() { # module version... -> prints the first that downloads
	local mod="$1" v out
	shift
	for v in "$@"; do
		if out=$(go mod download -json "$mod@$v" 2>&1) && ! grep -q '"Error"' <<<"$out"; then
			printf '%s' "$v"
			return 0
		fi
		printf 'go mod download %s@%s failed:\n%s\n' "$mod" "$v" "$out" >&2
	done
	return 1
}

# Build a main package from a module version the way `go install pkg@v` would
# (same MVS result: the module's own requirements, no replace directives), but
# via a throw-away module + `go build -o`. `go install pkg@v` itself cannot be
# used here: it reads the proxy's @v/list to look for deprecations, and the
# proxy refuses that listing (403) for these modules.
go_build_via_tmp_module() { # tool pkg module version cgo ldflags
	local tool="$1" pkg="$2" mod="$3" ver="$4" cgo="$5" ldflags="$6" dir
	dir=$(mktemp -d "$TOOLS_TMP/$tool.XXXXXX")
	(
		cd "$dir"
		go mod init "tools.local/$tool"
		go get "$pkg@$ver"
		CGO_ENABLED="$cgo" go build -mod=readonly -trimpath -ldflags "$ldflags" -o "$dir/$tool.out" "$pkg"
	) || { rm -rf "$dir"; return 1; }
	tools_install_file "$dir/$tool.out" "$tool"
	rm -rf "$dir"
}

# Build a module's root main package inside its (read-only) module-cache
# directory, using the module's own go.mod/go.sum. Needed when the module's
# go.mod declares a different path from the one it is served under (so neither
# `go install` nor `go get` accept it).
go_build_in_module_dir() { # tool module version cgo ldflags
	local tool="$1" mod="$2" ver="$3" cgo="$4" ldflags="$5" dir out
	out=$(go mod download -json "$mod@$ver") || return 1
	dir=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$out" | head -n1)
	[[ -n "$dir" && -f "$dir/go.mod" ]] || { echo "no module dir for $mod@$ver: $out"; return 1; }
	local tmp
	tmp=$(mktemp -d "$TOOLS_TMP/$tool.XXXXXX")
	(cd "$dir" && CGO_ENABLED="$cgo" go build -mod=readonly -trimpath -ldflags "$ldflags" -o "$tmp/$tool.out" .) ||
		{ rm -rf "$tmp"; return 1; }
	tools_install_file "$tmp/$tool.out" "$tool"
	rm -rf "$tmp"
}

# -------------------------------------------------------------------- Python
# A private virtualenv under .tools/venv holding the pinned PyPI packages that
# back the KCL tools (see install-tools.sh for why they are not Go builds) and
# the linters of their Python programs (scripts/kcl_cli.py,
# scripts/function_kcl_standin.py).

tools_venv_key() { printf 'python=%s pins=%s' "$("$TOOLS_PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')" "$*"; }

tools_ensure_venv() { # pin...
	local key
	key=$(tools_venv_key "$@")
	if [[ -x "$TOOLS_DIR/venv/bin/python" && "$(tools_stamp_key .venv)" == "$key" ]]; then
		return 0
	fi
	rm -rf "$TOOLS_DIR/venv"
	"$TOOLS_PYTHON" -m venv "$TOOLS_DIR/venv"
	"$TOOLS_DIR/venv/bin/python" -m pip install --disable-pip-version-check --no-input -q "$@"
	tools_write_stamp .venv "$key" "$*"
}

# Copy a Python program (scripts/*.py) into .tools/lib, atomically; the
# launcher runs that copy, so the installed program is the one the stamp hashed.
tools_install_py_script() { # src
	local name tmp
	name=$(basename "$1")
	tmp="$TOOLS_TMP/$name"
	cp "$1" "$tmp"
	mv -f "$tmp" "$TOOLS_DIR/lib/$name"
}

# Write a launcher $TOOLS_BIN/<tool> that runs the venv's interpreter with
# ARGS (resolved from the launcher's own location, so the repo can be moved).
tools_write_launcher() { # tool args
	local tmp="$TOOLS_TMP/$1.launcher"
	cat >"$tmp" <<EOF
#!/usr/bin/env bash
# Generated by scripts/install-tools.sh. Do not edit.
d=\$(cd "\$(dirname "\$(readlink -f "\${BASH_SOURCE[0]}")")/.." && pwd)
exec "\$d/venv/bin/python" $2 "\$@"
EOF
	tools_install_file "$tmp" "$1"
}

# A launcher for .tools/lib/<script>.
tools_write_py_launcher() { tools_write_launcher "$1" "\"\$d/lib/$2\""; } # tool script

# A launcher for `python -m <module>` (a tool installed in the venv).
tools_write_py_module_launcher() { tools_write_launcher "$1" "-m $2"; } # tool module
