"""The external agents pertask knows by name: how each is installed, started on one task, pointed at the
metering proxy, and where it leaves its log. Data, looked up by name like the model kinds; the running is
harness/agents/external.py.

Installation happens once per version, on the host, from the package registries the host reaches (PyPI,
npm), into the user's cache (`~/.cache/pertask/agents/<package>/`); the sandbox gets the installed agent
read-only. `--agent NAME:PATH` uses an executable the user provides instead (an agent installed some other
way, or on a machine without the registry).
"""

from __future__ import annotations

import glob
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from providers.base import SpecError

# What every agent is told by its environment besides its own settings: no update checks, no telemetry (the
# sandbox has no route for them, and a refused connection must not slow the agent down).
QUIET = {"DISABLE_AUTOUPDATER": "1", "DISABLE_TELEMETRY": "1", "DO_NOT_TRACK": "1", "NO_UPDATE_NOTIFIER": "1"}


@dataclass(frozen=True)
class Adapter:
    source: str  # "pip": a virtual environment of its own; "npm": `npm install --prefix`
    package: str  # the pinned requirement (pip) or package@version (npm)
    exe: str  # the executable, relative to the installation (a glob: npm's native builds are per platform)
    command: str  # {exe}, {instruction_file}, {model} (as `models` names it): run in the workspace by bash
    # The proxy's dialects it speaks (harness/agents/proxy.py ROUTES), each with how the agent is told the model on it
    # (LiteLLM-based agents pick the dialect by the name's prefix).
    models: dict[str, str] = field(default_factory=lambda: {"chat": "openai/{model}", "anthropic": "anthropic/{model}"})
    env: dict[str, str] = field(default_factory=dict)  # {model} is substituted
    log: str = ""  # a file in the sandbox's /tmp: kept as the agent's own transcript
    python: tuple[int, int] = (3, 11)  # pip: the oldest interpreter the package installs on
    driver: str = ""  # a script of pertask's (beside this file) that runs a library agent: copied into its home


ADAPTERS = {
    # mini-swe-agent 2.x: its `mini` CLI with the local environment (commands in the sandbox it runs in),
    # LiteLLM's OpenAI or Anthropic route to the proxy, no confirmations, its trajectory as the log.
    "mini-swe-agent": Adapter(
        "pip", "mini-swe-agent==2.4.6", "bin/mini",
        '{exe} -m {model} -t "$(cat {instruction_file})" -y --exit-immediately -o /tmp/mini.traj.json',
        env={"MSWEA_CONFIGURED": "true", "MSWEA_COST_TRACKING": "ignore_errors", "MSWEA_GLOBAL_CONFIG_DIR": "/tmp/mswea",
             "MSWEA_SILENT_STARTUP": "1", "LITELLM_LOCAL_MODEL_COST_MAP": "True", "XDG_CACHE_HOME": "/tmp/.cache"},
        log="mini.traj.json"),
    # Claude Code: its native build from npm, headless (-p), every permission granted (the sandbox is the
    # boundary), --bare (no hooks, plugins, CLAUDE.md discovery or background prefetches; the API key from the
    # environment only; IS_SANDBOX lets a container's root do so). Its home is in /tmp, not the workspace the grader reads. Every model it would pick for
    # side work is the model under test, so every call is priced as that model.
    "claude-code": Adapter(
        "npm", "@anthropic-ai/claude-code@2.1.197", "node_modules/@anthropic-ai/claude-code/bin/claude.exe",
        '{exe} -p "$(cat {instruction_file})" --bare --dangerously-skip-permissions --model {model} '
        "--output-format stream-json --verbose > /tmp/claude.jsonl",
        models={"anthropic": "{model}"},
        env={"HOME": "/tmp/agent-home", "IS_SANDBOX": "1", "ANTHROPIC_MODEL": "{model}", "ANTHROPIC_SMALL_FAST_MODEL": "{model}",
             "ANTHROPIC_DEFAULT_HAIKU_MODEL": "{model}", "ANTHROPIC_DEFAULT_SONNET_MODEL": "{model}",
             "ANTHROPIC_DEFAULT_OPUS_MODEL": "{model}", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1"},
        log="claude.jsonl"),
    # Codex CLI: its native (static musl) build from npm, `codex exec` with a provider of pertask's own on the
    # Responses API (the wire Codex speaks), its own sandbox off (ours is the boundary), its event stream as
    # the log. Its home is in /tmp.
    "codex": Adapter(
        "npm", "@openai/codex@0.171.0", "node_modules/@openai/codex-linux-*/vendor/*/bin/codex",
        'mkdir -p "$CODEX_HOME" && {exe} exec --skip-git-repo-check --dangerously-bypass-approvals-and-sandbox '
        "--json -m {model} -c model_provider=pertask -c 'model_providers.pertask={name=\"pertask\","
        "base_url=\"'\"$OPENAI_BASE_URL\"'\",env_key=\"OPENAI_API_KEY\",wire_api=\"responses\"}' "
        '"$(cat {instruction_file})" < /dev/null > /tmp/codex.jsonl',
        models={"responses": "{model}"}, env={"CODEX_HOME": "/tmp/codex-home", "HOME": "/tmp/agent-home"}, log="codex.jsonl"),
    # Aider: one message (the instruction), its diff edit format, every question answered yes, no git (the
    # grader reads the workspace, and aider's commits would change what a diff-based grader sees), its
    # histories in /tmp rather than the workspace, LiteLLM's price map from the package (not fetched).
    "aider": Adapter(
        "pip", "aider-chat==0.86.2", "bin/aider",
        '{exe} --model {model} --openai-api-base "$OPENAI_BASE_URL" --openai-api-key "$OPENAI_API_KEY" '
        "--message-file {instruction_file} --edit-format diff --yes-always --no-git --no-auto-commits "
        "--no-check-update --analytics-disable --no-show-model-warnings --no-pretty --chat-history-file "
        "/tmp/aider.chat.md --input-history-file /tmp/aider.input.history < /dev/null",
        env={"HOME": "/tmp/agent-home", "LITELLM_LOCAL_MODEL_COST_MAP": "True"}, log="aider.chat.md"),
    # Stirrup, Artificial Analysis's harness (AA-Briefcase is built on it): a library, so pertask's driver runs it
    # (harness/agents/stirrup_driver.py: its Chat Completions client, its code tool in the workspace, finish and
    # abandon). It needs Python 3.12; its web tool's imports need lxml's html_clean, which it does not declare.
    "stirrup": Adapter(
        "pip", "stirrup==0.2.1 lxml_html_clean==0.4.7", "bin/python",
        '{exe} "$(dirname {exe})/../stirrup_driver.py"', models={"chat": "{model}"},
        env={"HOME": "/tmp/agent-home"}, log="stirrup.json", python=(3, 12), driver="stirrup_driver.py"),
}

DIALECT_NAMES = {"chat": "OpenAI Chat Completions", "responses": "OpenAI Responses", "anthropic": "Anthropic Messages"}


def describe() -> dict[str, str]:
    """Each agent and where it comes from (the CLI's help and its error for an unknown name)."""
    return {"cmd": "a shell command template: 'cmd:python3 my_agent.py {instruction_file}'",
            **{name: f"{a.source} {a.package}, {' or '.join(DIALECT_NAMES[d] for d in a.models)}"
               for name, a in ADAPTERS.items()}}


def interpreter(name: str, oldest: tuple[int, int]) -> str:
    """A Python of at least `oldest` for an agent's virtual environment: pertask's own, else the newest found on PATH
    (python3.N) or in pyenv's versions."""
    if sys.version_info[:2] >= oldest:
        return sys.executable
    found = [shutil.which(f"python3.{minor}") for minor in range(20, oldest[1] - 1, -1)]
    found += sorted(glob.glob(str(Path.home() / ".pyenv" / "versions" / "3.*" / "bin" / "python3")), reverse=True)
    for exe in filter(None, found):
        try:
            out = subprocess.run([exe, "-c", "import sys; print(*sys.version_info[:2])"], capture_output=True,
                                 text=True, timeout=30).stdout.split()
        except (OSError, subprocess.TimeoutExpired):
            continue
        if len(out) == 2 and tuple(map(int, out)) >= oldest:
            return exe
    raise SpecError(f"--agent {name} needs Python {oldest[0]}.{oldest[1]} or newer, and none was found (pertask runs "
                    f"on {sys.version_info[0]}.{sys.version_info[1]}; looked for python3.N on PATH and in ~/.pyenv): "
                    f"install one, e.g. `uv python install {oldest[0]}.{oldest[1]}` or your distribution's "
                    f"python{oldest[0]}.{oldest[1]}")


def base_prefix(home: Path) -> Path | None:
    """The interpreter a virtual environment was made from (its pyvenv.cfg `home`): a sandbox must see it too."""
    cfg = home / "pyvenv.cfg"
    for line in cfg.read_text().splitlines() if cfg.is_file() else []:
        key, _, value = line.partition("=")
        if key.strip() == "home":
            return Path(value.strip()).parent
    return None


def install(name: str, adapter: Adapter, note: Any = lambda _m: None) -> tuple[Path, Path]:
    """The adapter's installation, made once per package version and reused: its folder and its executable."""
    from results.store import cache_root, slug

    home = cache_root() / "agents" / slug(adapter.package)
    if not (home / ".complete").is_file():
        note(f"installing {adapter.package} into {home} ({adapter.source}; once)")
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
        if adapter.source == "pip":
            steps = [[interpreter(name, adapter.python), "-m", "venv", str(home)],
                     [str(home / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                      *adapter.package.split()]]
        else:
            if shutil.which("npm") is None:
                raise SpecError(f"--agent {name} is installed from npm, and npm is not on PATH (apt-get install npm), "
                                f"or give its executable: --agent {name}:PATH")
            steps = [["npm", "install", "--prefix", str(home), "--no-audit", "--no-fund", "--loglevel=error",
                      adapter.package]]
        for argv in steps:
            proc = subprocess.run(argv, capture_output=True, text=True)
            if proc.returncode != 0:
                shutil.rmtree(home, ignore_errors=True)
                raise SpecError(f"installing {adapter.package} failed: {(proc.stderr or proc.stdout).strip()[-400:]}")
        (home / ".complete").write_text(adapter.package)
    if adapter.driver:  # copied each time: the installation outlives a change to pertask's driver
        shutil.copyfile(Path(__file__).with_name(adapter.driver), home / adapter.driver)
    found = sorted(glob.glob(str(home / adapter.exe)))
    if not found:
        raise SpecError(f"{adapter.package} installed into {home}, but it holds no {adapter.exe} for this platform "
                        f"(give the agent's executable: --agent {name}:PATH)")
    return home, Path(found[0])
