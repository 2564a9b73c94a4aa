"""--model SPEC -> a Model. Kinds are looked up by name; their modules are imported on use.

    oracle | null | scripted:FILE | openai-compatible:NAME@URL | PROVIDER:MODEL[@URL]
    local | vllm:PATH_OR_ID (launch) | vllm:NAME@URL (attach)
Any spec may end in `#protocol=text|tools` and `#label=NAME`; models served over HTTP take
`#client=direct|sdk` (the transport: aiohttp, the default, or the openai SDK) and `#timeout=S` (seconds
of silence before a server counts as unreachable; default 600), and the per-model settings their
endpoint profile accepts: `#reasoning_effort=`, `#thinking_budget=N`, `#thinking=on|off`,
`#temperature=`, `#max_tokens=N`, `#cache_ttl=5m|1h`. vLLM specs also take `#preset=NAME` and
`#port=N`; openai-compatible:, vllm: and scripted: specs take `#wire=chat|responses|anthropic`.
The built-in agent reads `#context=N` (the model's window in tokens: it compacts the conversation before passing
80% of it) and `#compaction=off` (an overflow then ends the sample). `#model_id=ID` names the model a provider serves
where its name differs from other providers' (the report's table of providers of one model: results/procurement.py).
Options are joined with commas:
`vllm:NAME@URL#preset=qwen3,client=sdk`.

A model's identity in a run (its samples' ids, the report's rows) is its key: the spec without the
server's address and without options that change only how it is reached (client=, port=, timeout=),
or `#label=NAME`; a model given by a path is named by its file or folder (model_key). A resume against the same
model on another port, or from another folder, therefore skips what is done.
"""

from __future__ import annotations

import contextlib
import contextvars
import importlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from results.prices import Catalog
from results.records import ModelInfo

from .base import Model, SpecError
from .profiles import SETTINGS, WIRES, Profile, generic, parse_settings, profiles

# Models built while this is set are only priced, never called (`run --estimate`): a missing key is no error.
_PRICING_ONLY = contextvars.ContextVar("pricing_only", default=False)


@contextlib.contextmanager
def pricing_only(on: bool = True) -> Iterator[None]:
    token = _PRICING_ONLY.set(on)
    try:
        yield
    finally:
        _PRICING_ONLY.reset(token)

PROTOCOLS = ("tools", "text")


OPTIONS = ("protocol", "preset", "port", "client", "label", "timeout", "wire", "replicas", "weights_gb", "context",
           "compaction", "model_id", *SETTINGS)
IDENTITY = ("protocol", "preset", "wire", "context", "compaction", *SETTINGS)  # the options that change what is measured: in a model's key
CLIENTS = ("direct", "sdk")  # providers.http.TRANSPORTS, named here so that the registry imports no HTTP stack


def _split_options(spec: str) -> tuple[str, dict[str, str]]:
    body, _, opts = spec.partition("#")
    options = dict(kv.split("=", 1) for kv in opts.split(",") if "=" in kv)
    unknown = set(options) - set(OPTIONS)
    if unknown or (opts and not options):
        raise SpecError(f"--model {spec}: unknown option '{opts}' (valid: {', '.join(o + '=' for o in OPTIONS)})")
    if options.get("protocol", "tools") not in PROTOCOLS:
        raise SpecError(f"--model {spec}: protocol must be one of {', '.join(PROTOCOLS)}")
    if options.get("client", "direct") not in CLIENTS:
        raise SpecError(f"--model {spec}: client must be one of {', '.join(CLIENTS)}")
    if options.get("wire", "chat") not in WIRES:
        raise SpecError(f"--model {spec}: wire must be one of {', '.join(WIRES)}")
    return body, options


def with_options(spec: str, options: dict[str, object]) -> str:
    """A spec with these options added (an experiment file's [[model]] keys): booleans as on/off."""
    opts = [f"{k}={('on' if v else 'off') if isinstance(v, bool) else v}" for k, v in options.items()]
    return spec + ("," if "#" in spec else "#") + ",".join(opts) if opts else spec


PATH_KINDS = ("scripted", "vllm")  # kinds whose spec may name a file or folder on this machine


def local_path(kind: str, rest: str, base: Path | None = None) -> Path | None:
    """The file or folder a spec (`kind:rest`) names, relative to `base` (else the working directory), or None where
    it names a model by its name: a scripted: spec always names its file; a vllm: spec without an address names a
    folder where it is written as a path (/, ., ~) or one exists (else a hub id), and with one a served name."""
    name, _, url = (rest, "", "") if kind == "scripted" else rest.partition("@")  # a script has no address
    if kind not in PATH_KINDS or not name or url:
        return None
    path = Path(name).expanduser()
    path = base / path if base is not None and not path.is_absolute() else path
    return path if kind == "scripted" or name.startswith(("/", ".", "~")) or path.exists() else None


def model_key(spec: str) -> str:
    """A model given by path is named by its file (without the extension) or folder, so its name does not depend
    on where pertask runs; the full spec is kept in the manifest (ModelInfo.given)."""
    body, options = _split_options(spec)
    if options.get("label"):
        return options["label"]
    kind, sep, rest = body.partition(":")
    name = rest.partition("@")[0]
    if (path := local_path(kind, rest)) is not None:
        path = path.resolve()
        name = path.stem if kind == "scripted" or path.is_file() else path.name  # a script is a file
    kept = ",".join(f"{k}={options[k]}" for k in IDENTITY if k in options)
    return f"{kind}{sep}{name}" + (f"#{kept}" if kept else "")


def absolute_spec(spec: str, base: Path | None = None) -> str:
    """The spec with any path in it made absolute, relative paths taken from `base` (else the working directory):
    what a run's digest is taken from, so the same command from another folder names the same run; and how an
    experiment file's models name files beside it."""
    body, _, opts = spec.partition("#")
    kind, sep, rest = body.partition(":")
    if (path := local_path(kind, rest, base)) is None:
        return spec
    return f"{kind}{sep}{path.resolve()}" + (f"#{opts}" if opts else "")


def _lazy(path: str) -> Callable:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def _builtin(spec: str, kind: str, _rest: str, catalog: Catalog, options: dict[str, str], _extra: list[str]) -> Model:
    info = ModelInfo(spec=model_key(spec), given=spec, kind=kind, model_name=kind, protocol="tools")
    info.price = catalog.price_of(info)
    return _lazy("providers.builtin:OracleModel" if kind == "oracle" else "providers.builtin:NullModel")(info)


def _settings(spec: str, info: ModelInfo, options: dict[str, str], profile: Profile) -> None:
    try:
        info.settings = parse_settings(spec, options, profile)
    except ValueError as exc:
        raise SpecError(str(exc)) from None


def _scripted(spec: str, kind: str, rest: str, catalog: Catalog, options: dict[str, str],
              _extra: list[str]) -> Model:
    script_cls, server_cls = _lazy("providers.script_file:Script"), _lazy("providers.scripted:ScriptedServer")
    try:
        script = script_cls.load(Path(rest))
    except ValueError as exc:
        raise SpecError(f"--model {spec}: {exc}") from exc
    server = server_cls(script)
    info = ModelInfo(spec=model_key(spec), given=spec, kind=kind, model_name=script.model, base_url=server.start(),
                     protocol=script.protocol)
    info.price = catalog.price_of(info)
    profile = generic(options.get("wire", "chat"), name="scripted", images=script.images)
    _settings(spec, info, options, profile)
    model = _lazy("providers.client:HTTPModel")(info, api_key=script.api_key or "scripted", max_retries=2,
                                                profile=profile)
    model.on_close = server.stop  # the server lives exactly as long as the model
    return model


def _hosted(spec: str, kind: str, rest: str, catalog: Catalog, options: dict[str, str], _extra: list[str]) -> Model:
    name, _, url = rest.partition("@")
    if kind == "openai-compatible":
        if not (name and url):
            raise SpecError(f"--model {spec}: expected openai-compatible:NAME@URL")
        # Local servers usually need no key; one can still be given in this variable.
        key_env, base_url, key = "OPENAI_COMPATIBLE_API_KEY", url, os.environ.get("OPENAI_COMPATIBLE_API_KEY", "EMPTY")
        profile = generic(options.get("wire", "chat"), name="openai-compatible")
    else:
        if "wire" in options:
            raise SpecError(f"--model {spec}: the {kind} profile speaks {profiles()[kind].wire}; pick another "
                            f"profile for another dialect (profiles: {', '.join(profiles())})")
        profile = profiles()[kind]
        key_env, base_url = profile.key_env, url or profile.base_url
        key = os.environ.get(key_env, "")
        if not key and not _PRICING_ONLY.get():
            raise SpecError(f"--model {spec}: the environment variable {key_env} is not set (it holds the API key)")
    if not name:
        raise SpecError(f"--model {spec}: no model name after '{kind}:'")
    info = ModelInfo(spec=model_key(spec), given=spec, kind=kind, model_name=name, base_url=base_url, key_env=key_env,
                     protocol="tools")
    info.prices_as = profile.prices_as
    info.price = catalog.price_of(info)
    _settings(spec, info, options, profile)
    return _lazy("providers.client:HTTPModel")(info, api_key=key, profile=profile)


def _vllm(spec: str, kind: str, rest: str, catalog: Catalog, options: dict[str, str], extra: list[str]) -> Model:
    presets = importlib.import_module("providers.vllm.presets")
    if kind == "local":  # the embedded default: SmolLM2-135M-Instruct on the CPU build, no hub, no key
        path = str(_lazy("providers.vllm.models:smollm2")())
        name, url = "SmolLM2-135M-Instruct", ""
    else:
        name, _, url = rest.partition("@")
        if not name:
            raise SpecError(f"--model {spec}: expected vllm:PATH or vllm:NAME@URL")
        path = None
        if not url:
            local = local_path(kind, rest)
            if local is not None and local.exists():
                path, name = str(local.resolve()), local.name
            elif local is not None:
                raise SpecError(f"--model {spec}: no model folder at {name}")
            else:
                path = name  # a hub id: vLLM looks for its weights in the local cache, never downloads in tests
    preset = presets.get_preset(options["preset"]) if "preset" in options else presets.detect_preset(path or name)
    port = int(options["port"]) if options.get("port", "").isdigit() else None
    if "port" in options and port is None:
        raise SpecError(f"--model {spec}: port must be a number")
    replicas = int(options["replicas"]) if options.get("replicas", "").isdigit() else None
    if "replicas" in options and not (replicas and replicas >= 1):
        raise SpecError(f"--model {spec}: replicas must be a number of servers, 1 or more")
    if replicas and replicas > 1 and (path is None or port is not None):
        raise SpecError(f"--model {spec}: replicas=N launches N servers of a model folder (vllm:PATH#replicas=N, "
                        "each on a port of its own); attach to running ones with vllm:NAME@URL1,URL2")
    try:  # what the weights take in memory, for projections' fit check (measured from the folder when launched)
        weights = float(options["weights_gb"]) if "weights_gb" in options else None
    except ValueError:
        raise SpecError(f"--model {spec}: weights_gb must be a number of GB") from None
    # Self-hosted: priced by the GPU-hour, not per token (a "vllm" catalog entry would be a user's choice).
    urls = [u.strip() for u in url.split(",")] if url else []
    if any(not u for u in urls) or len(set(urls)) != len(urls):
        raise SpecError(f"--model {spec}: replicas are vllm:NAME@URL1,URL2,… (each address once)")
    info = ModelInfo(spec=model_key(spec), given=spec, kind=kind, model_name=name, base_url=urls[0] if urls else "",
                     replicas=urls if len(urls) > 1 else [], protocol=preset.protocol)
    info.price = catalog.price_of(info)
    profile = preset.profile()
    if options.get("wire", "chat") != "chat":
        profile = generic(options["wire"], name=f"vllm/{preset.name}")
    _settings(spec, info, options, profile)
    return _lazy("providers.vllm.model:VLLMModel")(info, preset, model_path=path, port=port, extra=extra, profile=profile,
                                                   replicas=replicas or 1, weights_gb=weights)


@dataclass(frozen=True)
class Kind:
    """A model kind: how a spec of it becomes a Model, and which options it takes."""
    build: Callable[[str, str, str, Catalog, dict[str, str], list[str]], Model]
    options: tuple[str, ...] = OPTIONS  # the options its specs may carry
    needs: str = ""  # the form of a spec that gives too little (said when nothing follows 'kind:')
    tools_only: bool = False  # it acts through tool calls only (protocol=text is refused)


SERVED_OPTIONS = ("preset", "port", "replicas")  # a vLLM's own: it launches or attaches to the server
BUILTIN = Kind(_builtin, options=("protocol", "label"), tools_only=True)
VLLM = Kind(_vllm)
HOSTED = Kind(_hosted, options=tuple(o for o in OPTIONS if o not in SERVED_OPTIONS))


def kinds() -> dict[str, Kind]:
    table = {"oracle": BUILTIN, "null": BUILTIN, "local": VLLM, "vllm": VLLM,
             "scripted": Kind(_scripted, options=HOSTED.options, needs="scripted:FILE"), "openai-compatible": HOSTED}
    table.update({name: HOSTED for name in profiles()})
    return table


def build_model(spec: str, catalog: Catalog, protocol: str | None = None, vllm_args: list[str] | None = None,
                max_connections: int | None = None) -> Model:
    body, options = _split_options(spec)
    kind, _, rest = body.partition(":")
    table = kinds()
    if kind not in table:
        raise SpecError(f"--model {spec}: unknown model kind '{kind}' (valid: {', '.join(sorted(table))})")
    entry = table[kind]
    if entry.needs and not rest:
        raise SpecError(f"--model {spec}: expected {entry.needs}")
    if refused := [o for o in options if o not in entry.options]:
        if set(refused) & set(SERVED_OPTIONS):
            raise SpecError(f"--model {spec}: only vLLM models take preset=, port= or replicas=")
        raise SpecError(f"--model {spec}: the {kind} model is not served over HTTP; only "
                        f"{' and '.join(o + '=' for o in entry.options)} apply")
    model = entry.build(spec, kind, rest, catalog, options, vllm_args or [])
    model.info.protocol = options.get("protocol") or protocol or model.info.protocol
    model.info.model_id = options.get("model_id", "")
    if entry.tools_only and model.info.protocol != "tools":
        raise SpecError(f"--model {spec}: the {kind} model acts through tool calls only")
    try:
        timeout = float(options["timeout"]) if "timeout" in options else None
    except ValueError:
        timeout = -1.0
    if timeout is not None and timeout <= 0:
        raise SpecError(f"--model {spec}: timeout must be a number of seconds above 0")
    try:
        model.info.context = int(options["context"]) if "context" in options else model.info.context
    except ValueError:
        model.info.context = -1
    if model.info.context is not None and model.info.context < 1_000:
        raise SpecError(f"--model {spec}: context must be the model's window in tokens (1000 or more)")
    if options.get("compaction", "on") not in ("on", "off"):
        raise SpecError(f"--model {spec}: compaction must be on or off")
    model.info.compaction = options.get("compaction", "on") == "on"
    if options.get("client") == "sdk" and model.info.wire == "anthropic":
        raise SpecError(f"--model {spec}: the openai SDK speaks OpenAI's dialects; Anthropic's Messages go through "
                        "client=direct")
    if model.over_http and ("client" in options or timeout is not None or max_connections is not None):
        model.use_client(options.get("client", model.info.client), timeout, max_connections)
    return model
