"""--model SPEC -> a Model. Kinds are looked up by name; their modules are imported on use.

    oracle | null | scripted:FILE | openai-compatible:NAME@URL | PROVIDER:MODEL[@URL]
    (local and vllm:... arrive with the vLLM support)
Any spec may end in `#protocol=text` or `#protocol=tools` to choose the agent protocol.
"""

from __future__ import annotations

import importlib
import os
import tomllib
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from results.prices import Catalog
from results.records import ModelInfo

from .base import Model, SpecError

PROTOCOLS = ("tools", "text")


def endpoints() -> dict[str, dict[str, str]]:
    return tomllib.loads(resources.files("providers").joinpath("data/endpoints.toml").read_text())


def _split_options(spec: str) -> tuple[str, dict[str, str]]:
    body, _, opts = spec.partition("#")
    options = dict(kv.split("=", 1) for kv in opts.split(",") if "=" in kv)
    unknown = set(options) - {"protocol"}
    if unknown or (opts and not options):
        raise SpecError(f"--model {spec}: unknown option '{opts}' (valid: #protocol=tools|text)")
    if options.get("protocol", "tools") not in PROTOCOLS:
        raise SpecError(f"--model {spec}: protocol must be one of {', '.join(PROTOCOLS)}")
    return body, options


def _lazy(path: str) -> Callable:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def _builtin(spec: str, kind: str, _rest: str, catalog: Catalog) -> Model:
    info = ModelInfo(spec=spec, kind=kind, model_name=kind, protocol="tools", price=catalog.lookup("pertask", kind))
    return _lazy("providers.builtin:OracleModel" if kind == "oracle" else "providers.builtin:NullModel")(info)


def _scripted(spec: str, kind: str, rest: str, catalog: Catalog) -> Model:
    script_cls, server_cls = _lazy("providers.script:Script"), _lazy("providers.scripted:ScriptedServer")
    try:
        script = script_cls.load(Path(rest))
    except ValueError as exc:
        raise SpecError(f"--model {spec}: {exc}") from exc
    server = server_cls(script)
    info = ModelInfo(spec=spec, kind=kind, model_name=script.model, base_url=server.start(),
                     protocol=script.protocol, price=catalog.lookup("scripted", script.model))
    model = _lazy("providers.openai_client:OpenAIModel")(info, api_key="scripted", max_retries=2)
    model.on_close = server.stop  # the server lives exactly as long as the model
    return model


def _hosted(spec: str, kind: str, rest: str, catalog: Catalog) -> Model:
    name, _, url = rest.partition("@")
    if kind == "openai-compatible":
        if not (name and url):
            raise SpecError(f"--model {spec}: expected openai-compatible:NAME@URL")
        # Local servers usually need no key; one can still be given in this variable.
        key_env, base_url, key = "OPENAI_COMPATIBLE_API_KEY", url, os.environ.get("OPENAI_COMPATIBLE_API_KEY", "EMPTY")
    else:
        ep = endpoints()[kind]
        key_env, base_url = ep["key_env"], url or ep["base_url"]
        key = os.environ.get(key_env, "")
        if not key:
            raise SpecError(f"--model {spec}: the environment variable {key_env} is not set (it holds the API key)")
    if not name:
        raise SpecError(f"--model {spec}: no model name after '{kind}:'")
    info = ModelInfo(spec=spec, kind=kind, model_name=name, base_url=base_url, key_env=key_env,
                     protocol="tools", price=catalog.lookup(kind, name))
    return _lazy("providers.openai_client:OpenAIModel")(info, api_key=key)


def _vllm(spec: str, kind: str, rest: str, catalog: Catalog) -> Model:
    raise SpecError(f"--model {spec}: local vLLM models are not available in this version of pertask "
                    "(use openai-compatible:NAME@URL to attach to a running vLLM server)")


def kinds() -> dict[str, Callable[[str, str, str, Catalog], Model]]:
    table: dict[str, Callable] = {"oracle": _builtin, "null": _builtin, "scripted": _scripted,
                                  "openai-compatible": _hosted, "local": _vllm, "vllm": _vllm}
    table.update({name: _hosted for name in endpoints()})
    return table


def build_model(spec: str, catalog: Catalog, protocol: str | None = None) -> Model:
    body, options = _split_options(spec)
    kind, _, rest = body.partition(":")
    table = kinds()
    if kind not in table:
        raise SpecError(f"--model {spec}: unknown model kind '{kind}' (valid: {', '.join(sorted(table))})")
    if kind == "scripted" and not rest:
        raise SpecError(f"--model {spec}: expected scripted:FILE")
    model = table[kind](spec, kind, rest, catalog)
    model.info.protocol = options.get("protocol") or protocol or model.info.protocol
    if kind in ("oracle", "null") and model.info.protocol != "tools":
        raise SpecError(f"--model {spec}: the {kind} model acts through tool calls only")
    return model
