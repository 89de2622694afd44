#!/usr/bin/env bash
# Install everything the book and its tests need, on a fresh Debian/Ubuntu machine or a laptop.
#   - system packages: Chromium (browser tests, PDFs), Noto CJK fonts (the Chinese PDF), jbigkit (the JBIG1 codec the coding chapter
#     compares against), Node.js/npm (the book's offline MathJax), python3-venv; installed with
#     apt-get when missing and we are root (or have sudo);
#   - a project virtual environment in .venv (so it works where pip may not touch the system
#     Python, PEP 668), holding the CPU build of torch, requirements.txt (pinned) and mlebook;
#   - npm packages: package.json, installed only when package-lock.json changed.
# Both README commands then run .venv/bin/python.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
VENV=.venv

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pbmtojbg >/dev/null 2>&1 || missing+=(jbigkit-bin)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
# CJK fonts: the Chinese edition's PDF (Chromium prints it) and its pages
fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-noto-cjk)
[ -x "$VENV/bin/python" ] || "$PYTHON" -c "import ensurepip, venv" >/dev/null 2>&1 || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else sudo="none"; fi
  if [ "$sudo" != none ] && command -v apt-get >/dev/null 2>&1; then
    echo "install.sh: apt-get install ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "install.sh: please install ${missing[*]} with your package manager" >&2
  fi
fi

[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
py="$VENV/bin/python"
# torch: the CPU build, asked for by name (a plain `torch` on Linux is a multi-GB CUDA build).
# PyPI's own wheels are the CPU build on macOS and Windows.
if ! "$py" -c "import sys, torch; sys.exit(torch.__version__.split('+')[0] != '2.13.0')" >/dev/null 2>&1; then
  if [ "$(uname -s)" = Linux ]; then
    "$py" -m pip install -q --retries 0 "torch==2.13.0+cpu" 2>/dev/null \
      || "$py" -m pip install -q "torch==2.13.0+cpu" --index-url https://download.pytorch.org/whl/cpu
  else
    "$py" -m pip install -q "torch==2.13.0"
  fi
fi
"$py" -m pip install -q -r requirements.txt
"$py" -m pip install -q --no-deps -e .
"$py" tools/site_assets.py
