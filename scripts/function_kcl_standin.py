"""function-kcl STAND-IN: serves function-kcl v0.12.2's contract for local rendering.

This is NOT github.com/crossplane-contrib/function-kcl. That function cannot be built here (its
module versions and the kcl-lang.io modules it needs are refused by the Go module proxy), so this
reimplements the parts a composition uses, over the real KCL engine of the kcl-lib wheel (KCL core
0.12.3, the release that function-kcl v0.12.2 embeds through kcl-lang.io/lib v0.12.3) and
Crossplane's Python function SDK. scripts/install-tools.sh installs it as
.tools/bin/function-kcl-standin, so it is never mistaken for the real one.

What it follows: the KCLInput (`spec.source`, `spec.params`, `spec.config`, `spec.target`),
option("params") with oxr/dxr/ocds/dcds/ctx/extraResources/requiredResources, the `items` output,
the krm.kcl.dev/* annotations, the meta.krm.kcl.dev/v1alpha1 kinds and the XR status merge.
Targets Default and Resources only; inline sources and local paths only (no OCI/git sources, no
`dependencies`: nothing but package registries is reachable here). Anything else is refused with a
Fatal result that says so.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
from dataclasses import dataclass, field
from typing import Any, TypedDict

import grpc
import kcl_lib.api as kapi
import yaml
from crossplane.function import logging as fnlogging
from crossplane.function import response, runtime
from crossplane.function.proto.v1 import run_function_pb2 as fnv1
from crossplane.function.proto.v1 import run_function_pb2_grpc as grpcv1
from google.protobuf import json_format
from google.protobuf.message import Message
from structlog.stdlib import BoundLogger

Obj = dict[str, Any]
"""A Kubernetes object or any other JSON map."""

META_API = "meta.krm.kcl.dev/v1alpha1"
ANN_READY = "krm.kcl.dev/ready"
ANN_NAME = "krm.kcl.dev/composition-resource-name"
SYSTEM_CONDITIONS = {"Ready", "Synced", "Healthy"}
READY_IN: dict[int, str] = {fnv1.READY_TRUE: "True", fnv1.READY_FALSE: "False"}
READY_OUT: dict[str, fnv1.Ready] = {
    "True": fnv1.READY_TRUE,
    "False": fnv1.READY_FALSE,
    "Unspecified": fnv1.READY_UNSPECIFIED,
}
TARGETS = {"Default", "Resources", "PatchDesired", "PatchResources", "XR"}
IMPLEMENTED_TARGETS = ("Default", "Resources")
REMOTE_PREFIXES = ("oci://", "http://", "https://", "git://", "git@", "ssh://", "github.com/", "gitlab.com/")
GO_JSON_FLOAT_EXP = 1e21
"""Go's encoding/json writes floats from here on with an exponent."""
MAX_PATH_SOURCE = 4096
"""A source this long or longer is KCL code, not a path."""
EMPTY: tuple[Any, ...] = (None, "", 0, False, [], {})
"""Go's zero values, as mergo sees them in JSON maps."""


class FatalError(Exception):
    """Ends the render with a Fatal result carrying this message (the Go function's errors)."""


class Desired(TypedDict):
    Resource: Obj
    Ready: str


class Observed(TypedDict):
    Resource: Obj
    ConnectionDetails: dict[str, str]


class Item(TypedDict):
    Resource: Obj


# ---------------------------------------------------------------- JSON helpers


def _num(v: Any) -> Any:
    """Struct numbers are doubles; write integral ones as ints like Go's json."""
    if isinstance(v, float) and v.is_integer() and abs(v) < GO_JSON_FLOAT_EXP:
        return int(v)
    if isinstance(v, dict):
        return {k: _num(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_num(x) for x in v]
    return v


def sdict(s: Message | None) -> Obj:
    """A protobuf Struct as a JSON map ({} when unset)."""
    if s is None or not s.ByteSize():
        return {}
    d: Obj = _num(json_format.MessageToDict(s))
    return d


def mergo_override(dst: Obj, src: Obj) -> Obj:
    """dario.cat/mergo Merge(dst, src, WithOverride) for JSON maps."""
    for k, v in src.items():
        if isinstance(v, dict) and isinstance(dst.get(k), dict):
            mergo_override(dst[k], v)
        elif k not in dst or dst[k] in EMPTY or v not in EMPTY:  # fill empty fields, override with non-empty
            dst[k] = v
    return dst


def split_docs(text: str | None) -> list[Any]:
    """The non-empty documents of a YAML stream."""
    return [doc for doc in yaml.safe_load_all(text or "") if doc is not None]


def unwrap(docs: list[Any]) -> list[Any]:
    """krm-kcl edit.UnwrapResources: `items` of the single document, else the docs."""
    if not docs:
        return []
    if len(docs) > 1:
        return docs
    d = docs[0]
    if isinstance(d, dict) and "items" in d:
        return list(d.get("items") or [])
    return [d]


# ----------------------------------------------------- annotations and selectors


def _annotations(obj: Obj) -> Any:
    return (obj.get("metadata") or {}).get("annotations")


def resource_name(obj: Obj) -> str:
    """The composition resource name: the krm.kcl.dev annotation (removed), else metadata.name."""
    ann = _annotations(obj)
    if isinstance(ann, dict) and ANN_NAME in ann:
        return str(ann.pop(ANN_NAME))
    name: str = (obj.get("metadata") or {}).get("name", "")
    return name


def take_ready(obj: Obj) -> str:
    """The krm.kcl.dev/ready annotation (removed): True, False or Unspecified."""
    ann = _annotations(obj)
    if not isinstance(ann, dict) or ANN_READY not in ann:
        return "Unspecified"
    v = ann.pop(ANN_READY)
    if v not in READY_OUT:
        raise FatalError(
            f'invalid function input: invalid "{ANN_READY}" annotation value "{v}": must be True, False, or Unspecified'
        )
    return str(v)


def ready_of(r: fnv1.Resource) -> str:
    return READY_IN.get(r.ready, "Unspecified")


def selector(v: Obj, name_key: str, ns_key: str) -> fnv1.ResourceSelector:
    sel = fnv1.ResourceSelector(api_version=v.get("apiVersion", ""), kind=v.get("kind", ""))
    if v.get(ns_key):
        sel.namespace = v[ns_key]
    if v.get(name_key):
        sel.match_name = v[name_key]
    else:
        sel.match_labels.labels.update(v.get("matchLabels") or {})
    return sel


def is_local(src: str) -> bool:
    """A source that names a file or directory rather than holding KCL code."""
    return "\n" not in src and len(src) < MAX_PATH_SOURCE and os.path.exists(src)


def _target(t: str | None) -> fnv1.Target:
    return fnv1.TARGET_COMPOSITE_AND_CLAIM if t == "CompositeAndClaim" else fnv1.TARGET_COMPOSITE


# ------------------------------------------------------------------ the engine


def exec_args(spec: Obj, params: Obj, fc: Obj) -> kapi.ExecProgramArgs:
    """The kcl-lib ExecProgramArgs for a KCLInput spec, refusing what this stand-in cannot do."""
    src: str = spec["source"]
    cfg: Obj = spec.get("config") or {}
    if src.startswith(REMOTE_PREFIXES):
        raise FatalError(
            f"failed to run kcl function pipelines: remote source {src[:80]!r} is not supported here (registries only)"
        )
    if spec.get("dependencies"):
        raise FatalError(
            "failed to run kcl function pipelines: spec.dependencies is not supported here (no kcl package registry)"
        )
    if cfg.get("settings") or cfg.get("vendor"):
        raise FatalError("failed to run kcl function pipelines: config.settings/config.vendor are not supported here")
    rl = {"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": [], "functionConfig": fc}
    kargs = [
        kapi.Argument(name="resource_list", value=json.dumps(rl)),
        kapi.Argument(name="items", value="[]"),
        kapi.Argument(name="params", value=json.dumps(params, sort_keys=True)),
        kapi.Argument(name="PATH", value=os.environ.get("PATH", "")),
        kapi.Argument(name="env", value=json.dumps(dict(os.environ))),
    ]
    for a in cfg.get("arguments") or []:
        k, _, v = a.partition("=")
        kargs.append(kapi.Argument(name=k, value=v))
    local_dir = is_local(src) and os.path.isdir(src)
    args = kapi.ExecProgramArgs(
        work_dir=src if local_dir else "",
        args=kargs,
        overrides=cfg.get("overrides") or [],
        path_selector=cfg.get("pathSelectors") or [],
        disable_none=bool(cfg.get("disableNone")),
        sort_keys=bool(cfg.get("sortKeys")),
        show_hidden=bool(cfg.get("showHidden")),
        strict_range_check=bool(cfg.get("strictRangeCheck")),
        debug=1 if cfg.get("debug") else 0,
    )
    if local_dir:
        args.k_filename_list.extend(sorted(os.path.join(src, n) for n in os.listdir(src) if n.endswith(".k")))
    elif is_local(src):
        args.k_filename_list.append(src)
    else:
        args.k_filename_list.append("prog.k")
        args.k_code_list.append(src)
    return args


# ------------------------------------------------------------ response helpers


def set_conditions(rsp: fnv1.RunFunctionResponse, conditions: list[Obj]) -> None:
    done: set[str] = set()
    for cs in conditions:
        c: Obj = cs.get("condition") or {}
        t: str = c.get("type", "")
        if t in SYSTEM_CONDITIONS:
            raise FatalError(f"cannot set ClaimCondition type: {t} is a reserved Crossplane Condition")
        if t in done and not cs.get("force"):
            continue
        status = {"True": fnv1.STATUS_CONDITION_TRUE, "False": fnv1.STATUS_CONDITION_FALSE}.get(
            c.get("status", ""), fnv1.STATUS_CONDITION_UNKNOWN
        )
        cond = rsp.conditions.add(type=t, status=status, reason=c.get("reason", ""), target=_target(cs.get("target")))
        if c.get("message") is not None:
            cond.message = c["message"]
        done.add(t)


def set_events(rsp: fnv1.RunFunctionResponse, events: list[Obj]) -> None:
    for ev in events:
        e: Obj = ev.get("event") or {}
        sev = {"Normal": fnv1.SEVERITY_NORMAL, "Warning": fnv1.SEVERITY_WARNING}.get(e.get("type") or "Normal")
        if sev is None:
            raise FatalError("invalid type {}, must be one of [Normal, Warning]".format(e.get("type")))
        r = rsp.results.add(severity=sev, message=e.get("message", ""), target=_target(ev.get("target")))
        if e.get("reason") is not None:
            r.reason = e["reason"]


# ------------------------------------------------------------------ a render


@dataclass
class Render:
    """One RunFunction call: the request's state as function-kcl sees it, and what the KCL output adds."""

    target: str
    oxr: Obj
    dxr: Obj
    dxr_conn: dict[str, bytes]
    desired: dict[str, Desired]
    extra_sel: dict[str, fnv1.ResourceSelector] = field(default_factory=dict)
    req_sel: dict[str, fnv1.ResourceSelector] = field(default_factory=dict)
    conditions: list[Obj] = field(default_factory=list)
    events: list[Obj] = field(default_factory=list)
    ctx_data: Obj = field(default_factory=dict)
    seen: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, req: fnv1.RunFunctionRequest, target: str) -> Render:
        oxr = sdict(req.observed.composite.resource)
        dxr = sdict(req.desired.composite.resource)
        dxr["apiVersion"] = oxr.get("apiVersion", "")
        dxr["kind"] = oxr.get("kind", "")
        desired: dict[str, Desired] = {
            n: {"Resource": sdict(r.resource), "Ready": ready_of(r)} for n, r in req.desired.resources.items()
        }
        return cls(target, oxr, dxr, dict(req.desired.composite.connection_details), desired)

    def params(self, req: fnv1.RunFunctionRequest, spec: Obj) -> Obj:
        """option("params"): the KCLInput's spec.params plus what function-kcl adds."""
        observed: dict[str, Observed] = {
            n: {
                "Resource": sdict(r.resource),
                "ConnectionDetails": {k: base64.b64encode(v).decode() for k, v in r.connection_details.items()},
            }
            for n, r in req.observed.resources.items()
        }
        extras: dict[str, list[Item]] = {
            n: [{"Resource": sdict(i.resource)} for i in rs.items] for n, rs in req.extra_resources.items()
        }
        required: dict[str, list[Item]] = {
            n: [{"Resource": sdict(i.resource)} for i in rs.items] for n, rs in req.required_resources.items()
        }
        params: Obj = dict(spec.get("params") or {})
        params.update(
            oxr=self.oxr,
            dxr=self.dxr,
            dcds=self.desired,
            ocds=observed,
            ctx=sdict(req.context),
            extraResources=extras,
            requiredResources=required,
        )
        return params

    def add(self, obj: Any) -> None:
        """One document of the KCL output."""
        if not isinstance(obj, dict):
            raise FatalError(f"cannot parse data resources from the pipeline output: {obj!r} is not an object")
        if self.target == "Resources":
            name = resource_name(obj)
            self.check_dup(name, obj)
            merged = dict(self.desired[name]["Resource"], **obj) if name in self.desired else obj
            self.desired[name] = {"Resource": merged, "Ready": "Unspecified"}
        elif obj.get("apiVersion") == self.oxr.get("apiVersion") and obj.get("kind") == self.oxr.get("kind"):
            st: Obj = self.dxr["status"] if isinstance(self.dxr.get("status"), dict) else {}
            self.dxr["status"] = mergo_override(st, obj.get("status") or {})
        elif obj.get("apiVersion") == META_API:
            self.add_meta(obj)
        else:
            ready = take_ready(obj)
            name = resource_name(obj)
            self.check_dup(name, obj)
            self.desired[name] = {"Resource": obj, "Ready": ready}

    def add_meta(self, obj: Obj) -> None:
        """A meta.krm.kcl.dev/v1alpha1 document."""
        kind = obj.get("kind")
        if kind == "CompositeConnectionDetails":
            for k, v in (obj.get("data") or {}).items():
                try:
                    self.dxr_conn[k] = base64.b64decode(v)
                except Exception:
                    self.dxr_conn[k] = b""
        elif kind in ("ExtraResources", "RequiredResources"):
            extra = kind == "ExtraResources"
            out = self.extra_sel if extra else self.req_sel
            nk, nsk = ("matchName", "matchNamespace") if extra else ("name", "namespace")
            for k, v in (obj.get("requirements") or {}).items():
                if k in out:
                    what = "extra resource" if extra else "required resource"
                    raise FatalError(f'duplicate {what} key "{k}"')
                out[k] = selector(v or {}, nk, nsk)
        elif kind == "Conditions":
            self.conditions = obj.get("conditions") or []
        elif kind == "Events":
            self.events = obj.get("events") or []
        elif kind == "Context":
            self.ctx_data = obj.get("data") or {}
        else:
            raise FatalError(
                f'invalid kind "{kind}" for apiVersion "{META_API}" - '
                "must be CompositeConnectionDetails or ExtraResources"
            )

    def check_dup(self, name: str, obj: Obj) -> None:
        kn = "{}/{}".format(obj.get("kind", ""), (obj.get("metadata") or {}).get("name", ""))
        if name in self.seen:
            raise FatalError(
                f'multiple composed resources with name "{name}" returned: {self.seen[name]} and {kn}. Set different '
                'metadata.name or metadata.annotations."krm.kcl.dev/composition-resource-name" to distinguish them.'
            )
        self.seen[name] = kn

    def write(self, req: fnv1.RunFunctionRequest, rsp: fnv1.RunFunctionResponse) -> None:
        """Put the render into the response (requirements, conditions, events, context, desired state)."""
        if self.target == "Resources":
            for d in self.desired.values():
                r = take_ready(d["Resource"])
                if r != "Unspecified":
                    d["Ready"] = r
        for k, sel in self.extra_sel.items():
            rsp.requirements.extra_resources[k].CopyFrom(sel)
        for k, sel in self.req_sel.items():
            rsp.requirements.resources[k].CopyFrom(sel)
        set_conditions(rsp, self.conditions)
        set_events(rsp, self.events)
        if self.ctx_data:
            for k, v in mergo_override(sdict(req.context), self.ctx_data).items():
                rsp.context[k] = v
        rsp.desired.composite.resource.Clear()
        rsp.desired.composite.resource.update(self.dxr)
        rsp.desired.composite.connection_details.clear()
        for k, b in self.dxr_conn.items():
            rsp.desired.composite.connection_details[k] = b
        rsp.desired.ClearField("resources")
        for n, d in self.desired.items():
            rsp.desired.resources[n].resource.update(d["Resource"])
            rsp.desired.resources[n].ready = READY_OUT.get(d["Ready"], fnv1.READY_UNSPECIFIED)


# ------------------------------------------------------------------ the server


class KCLRunner(grpcv1.FunctionRunnerServiceServicer):
    def __init__(self, log: BoundLogger) -> None:
        self.log = log
        self.api = kapi.API()

    def run_kcl(self, spec: Obj, params: Obj, fc: Obj) -> list[Any]:
        """Run the KCL program; its output documents, unwrapped like krm-kcl does."""
        args = exec_args(spec, params, fc)
        try:
            r = self.api.exec_program(args)
        except Exception as e:  # compile and runtime errors surface as exceptions
            raise FatalError(f"failed to run kcl function pipelines: {e}") from None
        if r.err_message:
            raise FatalError(f"failed to run kcl function pipelines: {r.err_message}")
        return unwrap(split_docs(r.yaml_result))

    async def RunFunction(  # noqa: N802 (gRPC method name)
        self, req: fnv1.RunFunctionRequest, _ctx: grpc.aio.ServicerContext[Any, Any]
    ) -> fnv1.RunFunctionResponse:
        rsp = response.to(req)
        self.log.debug(
            "Running Function",
            tag=req.meta.tag,
            required=sorted(req.required_resources.keys()),
            extra=sorted(req.extra_resources.keys()),
        )
        try:
            self.run(req, rsp)
        except FatalError as e:
            self.log.debug("Fatal", error=str(e))
            response.fatal(rsp, str(e))
        except Exception as e:  # keep the server alive; report like the Go function
            self.log.exception("unexpected error")
            response.fatal(rsp, f"function-kcl: {e}")
        return rsp

    def run(self, req: fnv1.RunFunctionRequest, rsp: fnv1.RunFunctionResponse) -> None:
        inp = sdict(req.input)
        spec: Obj = dict(inp.get("spec") or {})
        spec["source"] = spec.get("source") or os.environ.get("FUNCTION_KCL_DEFAULT_SOURCE", "")
        target: str = spec.get("target") or "Default"
        if target not in TARGETS:
            target = "Default"
        if not spec["source"]:
            raise FatalError("invalid function input: spec.source: Required value: kcl source cannot be empty")
        if target not in IMPLEMENTED_TARGETS:
            raise FatalError(
                f"invalid function input: target {target} is not implemented by this stand-in (Default, Resources are)"
            )
        render = Render.of(req, target)
        params = render.params(req, spec)
        fc = dict(inp, apiVersion="krm.kcl.dev/v1alpha1", kind="KCLRun", spec=dict(spec, target=target, params=params))
        for obj in self.run_kcl(spec, params, fc):
            render.add(obj)
        render.write(req, rsp)


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(
        prog="function-kcl-standin",
        description="STAND-IN for function-kcl v0.12.2 (not the real function-kcl): "
        "a Crossplane Composition Function using KCL via kcl-lib.",
    )
    p.add_argument("-d", "--debug", action="store_true", help="Emit debug logs in addition to info logs.")
    p.add_argument("--network", default="tcp", help="Network on which to listen for gRPC connections (tcp only).")
    p.add_argument("--address", default=":9443", help="Address at which to listen for gRPC connections.")
    p.add_argument(
        "--tls-certs-dir",
        default=os.environ.get("TLS_SERVER_CERTS_DIR"),
        help="Directory containing server certs (tls.key, tls.crt) and the CA used to verify client "
        "certificates (ca.crt) ($TLS_SERVER_CERTS_DIR)",
    )
    p.add_argument("--dependencies", help="Not supported here (no kcl package registry).")
    p.add_argument(
        "--insecure",
        action="store_true",
        help="Run without mTLS credentials. If you supply this flag --tls-server-certs-dir will be ignored.",
    )
    p.add_argument("--max-recv-message-size", type=int, default=4, help="Maximum size of received messages in MB.")
    p.add_argument("--version", action="store_true", help="Print the KCL engine version and exit.")
    a = p.parse_args(argv)
    if a.version:
        print(f"function-kcl stand-in, KCL {kapi.API().get_version().version} (kcl-lib)")
        return 0
    if a.network != "tcp":
        p.error("only --network=tcp is supported")
    if a.dependencies:
        p.error("--dependencies is not supported here")
    fnlogging.configure(level=fnlogging.Level.DEBUG if a.debug else fnlogging.Level.INFO)
    addr: str = a.address
    if addr.startswith(":"):
        addr = "[::]" + addr
    creds = None if a.insecure else runtime.load_credentials(a.tls_certs_dir)
    runtime.serve(
        KCLRunner(fnlogging.get_logger()),
        addr,
        creds=creds,  # type: ignore[arg-type]  # None is fine with insecure=True (runtime.serve checks)
        insecure=a.insecure,
        options=[("grpc.max_receive_message_length", a.max_recv_message_size * 1024 * 1024)],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
