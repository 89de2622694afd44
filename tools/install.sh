#!/usr/bin/env bash
# Install everything the book and its tests need, on a fresh Debian/Ubuntu machine or a laptop.
#   - system packages: Chromium (browser tests), jbigkit (the JBIG1 codec the coding chapter
#     compares against), Node.js/npm (the book's offline MathJax and widget manager);
#     installed with apt-get when missing and we are root (or have sudo);
#   - Python packages: requirements.txt (pinned; torch is the CPU build) and mlebook itself;
#   - npm packages: package.json (MathJax, RequireJS, the ipywidgets HTML manager).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pbmtojbg >/dev/null 2>&1 || missing+=(jbigkit-bin)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
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

python3 -m pip install -q -r requirements.txt
python3 -m pip install -q --no-deps -e .
if command -v npm >/dev/null 2>&1; then
  npm ci --no-audit --no-fund --loglevel=error
fi
