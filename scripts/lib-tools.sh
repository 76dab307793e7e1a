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
# back the KCL tools (see install-tools.sh for why they are not Go builds).

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

# Write a launcher $TOOLS_BIN/<tool> that runs .tools/lib/<script> with the
# venv's interpreter; paths are resolved from the launcher's own location so
# the repo can be moved.
tools_write_py_launcher() { # tool script
	local tmp="$TOOLS_TMP/$1.launcher"
	cat >"$tmp" <<EOF
#!/usr/bin/env bash
# Generated by scripts/install-tools.sh. Do not edit.
d=\$(cd "\$(dirname "\$(readlink -f "\${BASH_SOURCE[0]}")")/.." && pwd)
exec "\$d/venv/bin/python" "\$d/lib/$2" "\$@"
EOF
	tools_install_file "$tmp" "$1"
}

# ------------------------------------------------------- kcl CLI (PyPI-backed)
# A small `kcl` command line over the KCL engine shipped in the kcl-lib wheel
# (the same KCL core release as kcl-lang.io/lib, which function-kcl embeds).
# Covers: version, run (also `kcl FILE...`), fmt, lint, test.
tools_kcl_cli_source() {
	cat <<'PY'
"""kcl: a subset of the KCL command line over the kcl-lib Python wheel.

Generated by scripts/install-tools.sh (the Go `kcl` CLI cannot be built here:
its module host is not served by the Go module proxy). Subcommands: version,
run (default), fmt, lint, test.
"""
import argparse
import json
import os
import sys

import kcl_lib.api as kapi

_api = kapi.API()


def _version():
    return _api.get_version().version


def cmd_version(_args):
    v = _api.get_version()
    print("Version: %s (kcl-lib via PyPI)" % v.version)
    print("GitCommit: %s" % v.git_sha)
    return 0


def _split_kv(items, flag):
    out = []
    for it in items or []:
        if "=" not in it:
            raise SystemExit("kcl: %s expects key=value, got %r" % (flag, it))
        k, v = it.split("=", 1)
        out.append((k, v))
    return out


def _settings(files):
    """Merge kcl.yaml-style settings files: kcl_cli_configs + kcl_options."""
    import yaml

    files_out, opts, cfg = [], [], {}
    for f in files or []:
        with open(f, encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
        base = os.path.dirname(os.path.abspath(f))
        c = data.get("kcl_cli_configs") or {}
        for k in c.get("files") or c.get("file") or []:
            files_out.append(k if os.path.isabs(k) else os.path.join(base, k))
        cfg.update({k: v for k, v in c.items() if k not in ("files", "file")})
        for o in data.get("kcl_options") or []:
            v = o.get("value")
            opts.append((o["key"], v if isinstance(v, str) else json.dumps(v)))
    return files_out, opts, cfg


def cmd_run(a):
    sfiles, sopts, scfg = _settings(a.setting)
    files = list(sfiles) + list(a.files)
    if not files and os.path.isfile("kcl.yaml"):
        sfiles, sopts2, scfg2 = _settings(["kcl.yaml"])
        files, sopts, scfg = sfiles, sopts + sopts2, {**scfg, **scfg2}
    if not files:
        files = ["."] if any(n.endswith(".k") for n in os.listdir(".")) else []
    if not files:
        print("kcl: no input file", file=sys.stderr)
        return 1
    expanded = []
    for f in files:
        if os.path.isdir(f):
            expanded += sorted(
                os.path.join(f, n) for n in os.listdir(f) if n.endswith(".k") and not n.endswith("_test.k")
            )
        else:
            expanded.append(f)
    args = kapi.ExecProgramArgs(
        work_dir=os.getcwd(),
        k_filename_list=expanded,
        args=[kapi.Argument(name=k, value=v) for k, v in sopts + _split_kv(a.argument, "-D")],
        overrides=a.overrides or [],
        path_selector=a.path_selector or [],
        disable_none=a.disable_none or bool(scfg.get("disable_none")),
        sort_keys=a.sort_keys or bool(scfg.get("sort_keys")),
        show_hidden=a.show_hidden or bool(scfg.get("show_hidden")),
        strict_range_check=a.strict_range_check or bool(scfg.get("strict_range_check")),
        debug=1 if a.debug else 0,
    )
    for name, path in _split_kv(a.external, "-E"):
        args.external_pkgs.add(pkg_name=name, pkg_path=path)
    try:
        r = _api.exec_program(args)
    except Exception as e:  # the engine raises on compile/runtime errors
        print(str(e), file=sys.stderr)
        return 1
    if r.err_message:
        print(r.err_message, file=sys.stderr)
        return 1
    if a.format == "json":
        docs = [json.loads(line) for line in r.json_result.splitlines() if line.strip()]
        text = json.dumps(docs[0] if len(docs) == 1 else docs, indent=4)
    elif a.format == "toml":
        print("kcl: --format toml is not supported by this kcl", file=sys.stderr)
        return 1
    else:
        text = r.yaml_result
    text = text.rstrip("\n") + "\n" if text else ""
    if a.output:
        with open(a.output, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
    return 0


def cmd_fmt(a):
    try:
        r = _api.format_path(kapi.FormatPathArgs(path=a.path))
    except Exception as e:
        print(str(e), file=sys.stderr)
        return 1
    for f in r.changed_paths:
        print(f)
    return 0


def cmd_lint(a):
    try:
        r = _api.lint_path(kapi.LintPathArgs(paths=a.paths or ["."]))
    except Exception as e:
        print(str(e), file=sys.stderr)
        return 1
    for msg in r.results:
        print(msg, file=sys.stderr)
    return 1 if r.results else 0


def cmd_test(a):
    pkgs = a.pkgs or ["./..."]
    try:
        r = _api.test(kapi.TestArgs(pkg_list=pkgs, run_regexp=a.run or "", fail_fast=a.fail_fast))
    except Exception as e:
        print(str(e), file=sys.stderr)
        return 1
    failed = 0
    for c in r.info:
        ok = not c.error
        failed += 0 if ok else 1
        print("%s: %s (%dus)" % (c.name, "PASS" if ok else "FAIL", c.duration))
        if not ok:
            print(c.error)
    print("%d passed, %d failed" % (len(r.info) - failed, failed))
    return 1 if failed else 0


def main(argv):
    subs = {"run", "version", "fmt", "lint", "test"}
    if argv and argv[0] in ("-V", "--version"):
        argv = ["version"]
    if not argv or (argv[0] not in subs and argv[0] not in ("-h", "--help")):
        if argv and not argv[0].startswith("-") and not argv[0].endswith(".k") and not os.path.exists(argv[0]):
            print("kcl: unknown command %r (this kcl supports: %s)" % (argv[0], ", ".join(sorted(subs))), file=sys.stderr)
            return 2
        argv = ["run"] + argv
    p = argparse.ArgumentParser(prog="kcl", description="KCL %s (kcl-lib)" % _version())
    sp = p.add_subparsers(dest="cmd", required=True)
    sp.add_parser("version").set_defaults(fn=cmd_version)
    r = sp.add_parser("run")
    r.add_argument("files", nargs="*")
    r.add_argument("-D", "--argument", action="append")
    r.add_argument("-Y", "--setting", action="append")
    r.add_argument("-E", "--external", action="append")
    r.add_argument("-O", "--overrides", action="append")
    r.add_argument("-S", "--path_selector", "--path-selector", action="append")
    r.add_argument("-o", "--output")
    r.add_argument("--format", default="yaml", choices=["yaml", "json", "toml"])
    r.add_argument("-n", "--disable_none", "--disable-none", action="store_true")
    r.add_argument("-k", "--sort_keys", "--sort-keys", action="store_true")
    r.add_argument("-H", "--show_hidden", "--show-hidden", action="store_true")
    r.add_argument("-r", "--strict_range_check", "--strict-range-check", action="store_true")
    r.add_argument("-d", "--debug", action="store_true")
    r.add_argument("-q", "--quiet", action="store_true")
    r.add_argument("--no_style", "--no-style", action="store_true")
    r.set_defaults(fn=cmd_run)
    f = sp.add_parser("fmt")
    f.add_argument("path", nargs="?", default=".")
    f.set_defaults(fn=cmd_fmt)
    lint = sp.add_parser("lint")
    lint.add_argument("paths", nargs="*")
    lint.set_defaults(fn=cmd_lint)
    t = sp.add_parser("test")
    t.add_argument("pkgs", nargs="*")
    t.add_argument("--run")
    t.add_argument("--fail-fast", "--fail_fast", action="store_true")
    t.set_defaults(fn=cmd_test)
    a = p.parse_args(argv)
    return a.fn(a)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
PY
}

# ------------------------------------------- function-kcl (PyPI-backed stand-in)
# A composition function server that follows function-kcl v0.12.2's contract
# (KCLInput, option("params") with oxr/dxr/ocds/dcds/ctx/extraResources/
# requiredResources, `items` output, krm.kcl.dev/* annotations, the
# meta.krm.kcl.dev/v1alpha1 kinds, XR status merge) on top of the kcl-lib wheel
# and Crossplane's Python function SDK. Target Default and Resources are
# implemented; inline sources and local paths only (no OCI/git, no
# `dependencies`: nothing but package registries is reachable here).
tools_function_kcl_source() {
	cat <<'PY'
"""function-kcl stand-in: serves function-kcl's contract for local rendering.

Generated by scripts/install-tools.sh. github.com/crossplane-contrib/function-kcl
cannot be built here (its module versions and the kcl-lang.io modules it needs
are refused by the Go module proxy), so this reimplements the parts a
composition uses, over the kcl-lib wheel (KCL core 0.12.3, the release that
function-kcl v0.12.2 embeds through kcl-lang.io/lib v0.12.3).
"""
import argparse
import base64
import json
import os
import sys

import grpc
import kcl_lib.api as kapi
import yaml
from crossplane.function import logging as fnlogging
from crossplane.function import response, runtime
from crossplane.function.proto.v1 import run_function_pb2 as fnv1
from crossplane.function.proto.v1 import run_function_pb2_grpc as grpcv1
from google.protobuf import json_format, struct_pb2

META_API = "meta.krm.kcl.dev/v1alpha1"
ANN_READY = "krm.kcl.dev/ready"
ANN_NAME = "krm.kcl.dev/composition-resource-name"
SYSTEM_CONDITIONS = {"Ready", "Synced", "Healthy"}
READY_IN = {fnv1.READY_TRUE: "True", fnv1.READY_FALSE: "False"}
READY_OUT = {"True": fnv1.READY_TRUE, "False": fnv1.READY_FALSE, "Unspecified": fnv1.READY_UNSPECIFIED}
TARGETS = {"Default", "Resources", "PatchDesired", "PatchResources", "XR"}
REMOTE_PREFIXES = ("oci://", "http://", "https://", "git://", "git@", "ssh://", "github.com/", "gitlab.com/")


class Fatal(Exception):
    pass


def _num(v):
    """Struct numbers are doubles; write integral ones as ints like Go's json."""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e21:
        return int(v)
    if isinstance(v, dict):
        return {k: _num(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_num(x) for x in v]
    return v


def sdict(s):
    return _num(json_format.MessageToDict(s)) if s is not None and s.ByteSize() else {}


def to_struct(d):
    s = struct_pb2.Struct()
    s.update(d)
    return s


def ready_of(r):
    return READY_IN.get(r.ready, "Unspecified")


def mergo_override(dst, src):
    """dario.cat/mergo Merge(dst, src, WithOverride) for JSON maps."""
    for k, v in src.items():
        if isinstance(v, dict) and isinstance(dst.get(k), dict):
            mergo_override(dst[k], v)
        elif k not in dst or dst[k] in (None, "", 0, False, [], {}):
            dst[k] = v
        elif v not in (None, "", 0, False, [], {}):
            dst[k] = v
    return dst


def split_docs(text):
    out = []
    for doc in yaml.safe_load_all(text or ""):
        if doc is not None:
            out.append(doc)
    return out


def unwrap(docs):
    """krm-kcl edit.UnwrapResources: `items` of the single document, else the docs."""
    if not docs:
        return []
    if len(docs) > 1:
        return docs
    d = docs[0]
    if isinstance(d, dict) and "items" in d:
        items = d.get("items")
        return list(items or [])
    return [d]


def resource_name(obj):
    ann = (obj.get("metadata") or {}).get("annotations")
    if isinstance(ann, dict) and ANN_NAME in ann:
        name = ann.pop(ANN_NAME)
    else:
        name = (obj.get("metadata") or {}).get("name", "")
    return name


def take_ready(obj):
    ann = (obj.get("metadata") or {}).get("annotations")
    if not isinstance(ann, dict) or ANN_READY not in ann:
        return "Unspecified"
    v = ann.pop(ANN_READY)
    if v not in READY_OUT:
        raise Fatal(
            'invalid function input: invalid "%s" annotation value "%s": must be True, False, or Unspecified' % (ANN_READY, v)
        )
    return v


def selector(v, name_key, ns_key):
    sel = fnv1.ResourceSelector(api_version=v.get("apiVersion", ""), kind=v.get("kind", ""))
    if v.get(ns_key):
        sel.namespace = v[ns_key]
    if v.get(name_key):
        sel.match_name = v[name_key]
    else:
        sel.match_labels.labels.update(v.get("matchLabels") or {})
    return sel


def is_local(src):
    return "\n" not in src and len(src) < 4096 and os.path.exists(src)


class KCLRunner(grpcv1.FunctionRunnerServiceServicer):
    def __init__(self, log):
        self.log = log
        self.api = kapi.API()

    def run_kcl(self, spec, params, fc):
        src = spec["source"]
        cfg = spec.get("config") or {}
        if src.startswith(REMOTE_PREFIXES):
            raise Fatal("failed to run kcl function pipelines: remote source %r is not supported here (registries only)" % src[:80])
        if spec.get("dependencies"):
            raise Fatal("failed to run kcl function pipelines: spec.dependencies is not supported here (no kcl package registry)")
        if cfg.get("settings") or cfg.get("vendor"):
            raise Fatal("failed to run kcl function pipelines: config.settings/config.vendor are not supported here")
        env = json.dumps(dict(os.environ))
        rl = {"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": [], "functionConfig": fc}
        kargs = [
            kapi.Argument(name="resource_list", value=json.dumps(rl)),
            kapi.Argument(name="items", value="[]"),
            kapi.Argument(name="params", value=json.dumps(params, sort_keys=True)),
            kapi.Argument(name="PATH", value=os.environ.get("PATH", "")),
            kapi.Argument(name="env", value=env),
        ]
        for a in cfg.get("arguments") or []:
            k, _, v = a.partition("=")
            kargs.append(kapi.Argument(name=k, value=v))
        args = kapi.ExecProgramArgs(
            args=kargs,
            overrides=cfg.get("overrides") or [],
            path_selector=cfg.get("pathSelectors") or [],
            disable_none=bool(cfg.get("disableNone")),
            sort_keys=bool(cfg.get("sortKeys")),
            show_hidden=bool(cfg.get("showHidden")),
            strict_range_check=bool(cfg.get("strictRangeCheck")),
            debug=1 if cfg.get("debug") else 0,
        )
        if is_local(src):
            if os.path.isdir(src):
                args.k_filename_list.extend(sorted(os.path.join(src, n) for n in os.listdir(src) if n.endswith(".k")))
                args.work_dir = src
            else:
                args.k_filename_list.append(src)
        else:
            args.k_filename_list.append("prog.k")
            args.k_code_list.append(src)
        try:
            r = self.api.exec_program(args)
        except Exception as e:  # compile and runtime errors surface as exceptions
            raise Fatal("failed to run kcl function pipelines: %s" % e) from None
        if r.err_message:
            raise Fatal("failed to run kcl function pipelines: %s" % r.err_message)
        return unwrap(split_docs(r.yaml_result))

    async def RunFunction(self, req, _ctx):  # noqa: N802 (gRPC method name)
        rsp = response.to(req)
        self.log.debug("Running Function", tag=req.meta.tag,
                       required=sorted(req.required_resources.keys()), extra=sorted(req.extra_resources.keys()))
        try:
            self.run(req, rsp)
        except Fatal as e:
            self.log.debug("Fatal", error=str(e))
            response.fatal(rsp, str(e))
        except Exception as e:  # keep the server alive; report like the Go function
            self.log.exception("unexpected error")
            response.fatal(rsp, "function-kcl: %s" % e)
        return rsp

    def run(self, req, rsp):
        inp = sdict(req.input)
        spec = dict(inp.get("spec") or {})
        spec["source"] = spec.get("source") or os.environ.get("FUNCTION_KCL_DEFAULT_SOURCE", "")
        target = spec.get("target") or "Default"
        if target not in TARGETS:
            target = "Default"
        if not spec["source"]:
            raise Fatal("invalid function input: spec.source: Required value: kcl source cannot be empty")
        if target not in ("Default", "Resources"):
            raise Fatal("invalid function input: target %s is not implemented by this stand-in (Default, Resources are)" % target)

        oxr = sdict(req.observed.composite.resource)
        dxr_obj = sdict(req.desired.composite.resource)
        dxr_obj["apiVersion"] = oxr.get("apiVersion", "")
        dxr_obj["kind"] = oxr.get("kind", "")
        dxr_conn = dict(req.desired.composite.connection_details)
        desired = {n: {"Resource": sdict(r.resource), "Ready": ready_of(r)} for n, r in req.desired.resources.items()}
        observed = {
            n: {
                "Resource": sdict(r.resource),
                "ConnectionDetails": {k: base64.b64encode(v).decode() for k, v in r.connection_details.items()},
            }
            for n, r in req.observed.resources.items()
        }
        extras = {n: [{"Resource": sdict(i.resource)} for i in rs.items] for n, rs in req.extra_resources.items()}
        required = {n: [{"Resource": sdict(i.resource)} for i in rs.items] for n, rs in req.required_resources.items()}
        params = dict(spec.get("params") or {})
        params.update(
            oxr=oxr, dxr=dxr_obj, dcds=desired, ocds=observed, ctx=sdict(req.context),
            extraResources=extras, requiredResources=required,
        )
        fc = dict(inp, apiVersion="krm.kcl.dev/v1alpha1", kind="KCLRun", spec=dict(spec, target=target, params=params))
        data = self.run_kcl(spec, params, fc)

        extra_sel, req_sel, conditions, events, ctx_data = {}, {}, [], [], {}
        seen = {}
        for obj in data:
            if not isinstance(obj, dict):
                raise Fatal("cannot parse data resources from the pipeline output: %r is not an object" % (obj,))
            if target == "Resources":
                name = resource_name(obj)
                self.check_dup(seen, name, obj)
                if name in desired:
                    obj = dict(desired[name]["Resource"], **obj)
                desired[name] = {"Resource": obj, "Ready": "Unspecified"}
                continue
            if obj.get("apiVersion") == oxr.get("apiVersion") and obj.get("kind") == oxr.get("kind"):
                st = dxr_obj.get("status") if isinstance(dxr_obj.get("status"), dict) else {}
                dxr_obj["status"] = mergo_override(st, obj.get("status") or {})
                continue
            if obj.get("apiVersion") == META_API:
                kind = obj.get("kind")
                if kind == "CompositeConnectionDetails":
                    for k, v in (obj.get("data") or {}).items():
                        try:
                            dxr_conn[k] = base64.b64decode(v)
                        except Exception:
                            dxr_conn[k] = b""
                elif kind in ("ExtraResources", "RequiredResources"):
                    out = extra_sel if kind == "ExtraResources" else req_sel
                    nk, nsk = ("matchName", "matchNamespace") if kind == "ExtraResources" else ("name", "namespace")
                    for k, v in (obj.get("requirements") or {}).items():
                        if k in out:
                            raise Fatal('duplicate %s key "%s"' % ("extra resource" if kind == "ExtraResources" else "required resource", k))
                        out[k] = selector(v or {}, nk, nsk)
                elif kind == "Conditions":
                    conditions = obj.get("conditions") or []
                elif kind == "Events":
                    events = obj.get("events") or []
                elif kind == "Context":
                    ctx_data = obj.get("data") or {}
                else:
                    raise Fatal('invalid kind "%s" for apiVersion "%s" - must be CompositeConnectionDetails or ExtraResources' % (kind, META_API))
                continue
            ready = take_ready(obj)
            name = resource_name(obj)
            self.check_dup(seen, name, obj)
            desired[name] = {"Resource": obj, "Ready": ready}

        if target == "Resources":
            for d in desired.values():
                r = take_ready(d["Resource"])
                if r != "Unspecified":
                    d["Ready"] = r

        if extra_sel or req_sel:
            for k, v in extra_sel.items():
                rsp.requirements.extra_resources[k].CopyFrom(v)
            for k, v in req_sel.items():
                rsp.requirements.resources[k].CopyFrom(v)
        set_conditions(rsp, conditions)
        set_events(rsp, events)
        if ctx_data:
            merged = mergo_override(sdict(req.context), ctx_data)
            for k, v in merged.items():
                rsp.context[k] = v
        rsp.desired.composite.resource.Clear()
        rsp.desired.composite.resource.update(dxr_obj)
        rsp.desired.composite.connection_details.clear()
        for k, v in dxr_conn.items():
            rsp.desired.composite.connection_details[k] = v
        rsp.desired.ClearField("resources")
        for n, d in desired.items():
            rsp.desired.resources[n].resource.update(d["Resource"])
            rsp.desired.resources[n].ready = READY_OUT.get(d["Ready"], fnv1.READY_UNSPECIFIED)

    @staticmethod
    def check_dup(seen, name, obj):
        kn = "%s/%s" % (obj.get("kind", ""), (obj.get("metadata") or {}).get("name", ""))
        if name in seen:
            raise Fatal(
                'multiple composed resources with name "%s" returned: %s and %s. Set different metadata.name or '
                'metadata.annotations."krm.kcl.dev/composition-resource-name" to distinguish them.' % (name, seen[name], kn)
            )
        seen[name] = kn


def _target(t):
    return fnv1.TARGET_COMPOSITE_AND_CLAIM if t == "CompositeAndClaim" else fnv1.TARGET_COMPOSITE


def set_conditions(rsp, conditions):
    done = set()
    for cs in conditions:
        c = cs.get("condition") or {}
        t = c.get("type", "")
        if t in SYSTEM_CONDITIONS:
            raise Fatal("cannot set ClaimCondition type: %s is a reserved Crossplane Condition" % t)
        if t in done and not cs.get("force"):
            continue
        status = {"True": fnv1.STATUS_CONDITION_TRUE, "False": fnv1.STATUS_CONDITION_FALSE}.get(c.get("status"), fnv1.STATUS_CONDITION_UNKNOWN)
        cond = rsp.conditions.add(type=t, status=status, reason=c.get("reason", ""), target=_target(cs.get("target")))
        if c.get("message") is not None:
            cond.message = c["message"]
        done.add(t)


def set_events(rsp, events):
    for ev in events:
        e = ev.get("event") or {}
        sev = {"Normal": fnv1.SEVERITY_NORMAL, "Warning": fnv1.SEVERITY_WARNING}.get(e.get("type") or "Normal")
        if sev is None:
            raise Fatal("invalid type %s, must be one of [Normal, Warning]" % e.get("type"))
        r = rsp.results.add(severity=sev, message=e.get("message", ""), target=_target(ev.get("target")))
        if e.get("reason") is not None:
            r.reason = e["reason"]


def main(argv):
    p = argparse.ArgumentParser(prog="function-kcl-standin", description="STAND-IN for function-kcl v0.12.2 (not the real function-kcl): a Crossplane Composition Function using KCL via kcl-lib.")
    p.add_argument("-d", "--debug", action="store_true", help="Emit debug logs in addition to info logs.")
    p.add_argument("--network", default="tcp", help="Network on which to listen for gRPC connections (tcp only).")
    p.add_argument("--address", default=":9443", help="Address at which to listen for gRPC connections.")
    p.add_argument("--tls-certs-dir", default=os.environ.get("TLS_SERVER_CERTS_DIR"), help="Directory containing server certs (tls.key, tls.crt) and the CA used to verify client certificates (ca.crt) ($TLS_SERVER_CERTS_DIR)")
    p.add_argument("--dependencies", help="Not supported here (no kcl package registry).")
    p.add_argument("--insecure", action="store_true", help="Run without mTLS credentials. If you supply this flag --tls-server-certs-dir will be ignored.")
    p.add_argument("--max-recv-message-size", type=int, default=4, help="Maximum size of received messages in MB.")
    p.add_argument("--version", action="store_true", help="Print the KCL engine version and exit.")
    a = p.parse_args(argv)
    if a.version:
        print("function-kcl stand-in, KCL %s (kcl-lib)" % kapi.API().get_version().version)
        return 0
    if a.network != "tcp":
        p.error("only --network=tcp is supported")
    if a.dependencies:
        p.error("--dependencies is not supported here")
    fnlogging.configure(level=fnlogging.Level.DEBUG if a.debug else fnlogging.Level.INFO)
    addr = a.address
    if addr.startswith(":"):
        addr = "[::]" + addr
    creds = None if a.insecure else runtime.load_credentials(a.tls_certs_dir)
    runtime.serve(
        KCLRunner(fnlogging.get_logger()),
        addr,
        creds=creds,
        insecure=a.insecure,
        options=[("grpc.max_receive_message_length", a.max_recv_message_size * 1024 * 1024)],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
PY
}
