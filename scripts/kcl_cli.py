"""kcl: a subset of the KCL command line over the kcl-lib Python wheel.

Installed by scripts/install-tools.sh as .tools/bin/kcl. It is not the Go `kcl` CLI
(kcl-lang.io/cli): that cannot be built here, its module host is not served by the Go module
proxy. It runs the real KCL engine that the kcl-lib wheel ships (the same KCL core release as
kcl-lang.io/lib, which function-kcl embeds). Subcommands: version, run (the default, also
`kcl FILE...`), fmt, lint, test.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

import kcl_lib.api as kapi
import yaml

_api = kapi.API()

SUBCOMMANDS = {"run", "version", "fmt", "lint", "test"}


def _version() -> str:
    return str(_api.get_version().version)


def cmd_version(_args: argparse.Namespace) -> int:
    v = _api.get_version()
    print(f"Version: {v.version} (kcl-lib via PyPI)")
    print(f"GitCommit: {v.git_sha}")
    return 0


def _split_kv(items: Sequence[str] | None, flag: str) -> list[tuple[str, str]]:
    """`-D k=v` / `-E name=path` pairs."""
    out: list[tuple[str, str]] = []
    for it in items or []:
        if "=" not in it:
            raise SystemExit(f"kcl: {flag} expects key=value, got {it!r}")
        k, v = it.split("=", 1)
        out.append((k, v))
    return out


def _settings(files: Sequence[str] | None) -> tuple[list[str], list[tuple[str, str]], dict[str, Any]]:
    """Merge kcl.yaml-style settings files: kcl_cli_configs + kcl_options.

    Returns the files they name (relative to the settings file), the options as -D pairs and the
    remaining kcl_cli_configs keys.
    """
    files_out: list[str] = []
    opts: list[tuple[str, str]] = []
    cfg: dict[str, Any] = {}
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


def _k_files(paths: Sequence[str]) -> list[str]:
    """A directory stands for its .k files (not the *_test.k ones), sorted."""
    expanded: list[str] = []
    for f in paths:
        if os.path.isdir(f):
            expanded += sorted(
                os.path.join(f, n) for n in os.listdir(f) if n.endswith(".k") and not n.endswith("_test.k")
            )
        else:
            expanded.append(f)
    return expanded


def cmd_run(a: argparse.Namespace) -> int:
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
    args = kapi.ExecProgramArgs(
        work_dir=os.getcwd(),
        k_filename_list=_k_files(files),
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
    text: str
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


def cmd_fmt(a: argparse.Namespace) -> int:
    try:
        r = _api.format_path(kapi.FormatPathArgs(path=a.path))
    except Exception as e:
        print(str(e), file=sys.stderr)
        return 1
    for f in r.changed_paths:
        print(f)
    return 0


def cmd_lint(a: argparse.Namespace) -> int:
    try:
        r = _api.lint_path(kapi.LintPathArgs(paths=a.paths or ["."]))
    except Exception as e:
        print(str(e), file=sys.stderr)
        return 1
    for msg in r.results:
        print(msg, file=sys.stderr)
    return 1 if r.results else 0


def cmd_test(a: argparse.Namespace) -> int:
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
        print(f"{c.name}: {'PASS' if ok else 'FAIL'} ({c.duration}us)")
        if not ok:
            print(c.error)
    print(f"{len(r.info) - failed} passed, {failed} failed")
    return 1 if failed else 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kcl", description=f"KCL {_version()} (kcl-lib)")
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
    return p


def main(argv: list[str]) -> int:
    if argv and argv[0] in ("-V", "--version"):
        argv = ["version"]
    if not argv or (argv[0] not in SUBCOMMANDS and argv[0] not in ("-h", "--help")):
        if argv and not argv[0].startswith("-") and not argv[0].endswith(".k") and not os.path.exists(argv[0]):
            known = ", ".join(sorted(SUBCOMMANDS))
            print(f"kcl: unknown command {argv[0]!r} (this kcl supports: {known})", file=sys.stderr)
            return 2
        argv = ["run", *argv]
    a = _parser().parse_args(argv)
    code: int = a.fn(a)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
