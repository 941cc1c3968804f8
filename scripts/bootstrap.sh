#!/usr/bin/env bash
# Set-up steps behind `make demo` and `make test`:
#   bootstrap.sh venv  - make sure .venv exists with a working pip (Python >= 3.10)
#   bootstrap.sh dot   - make sure the Graphviz `dot` program is installed
# Both are idempotent: they do nothing when the thing is already there.
set -euo pipefail

say() { printf 'bootstrap: %s\n' "$*" >&2; }

# Run a command as root: directly when we are root, else through sudo.
as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    return 1
  fi
}

apt_install() {
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# The first Python >= 3.10 on PATH ($PYTHON first when set).
find_python() {
  local candidate
  for candidate in ${PYTHON:-} python3.13 python3.12 python3.11 python3.10 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

ensure_venv() {
  if [ -x .venv/bin/python ] && .venv/bin/python -m pip --version >/dev/null 2>&1; then
    return 0
  fi
  local python
  if ! python=$(find_python); then
    if command -v apt-get >/dev/null 2>&1; then
      say "no Python >= 3.10 found; installing python3 and python3-venv with apt-get"
      apt_install python3 python3-venv || true
    elif [ "$(uname -s)" = Darwin ] && command -v brew >/dev/null 2>&1; then
      say "no Python >= 3.10 found; installing python3 with Homebrew"
      brew install python3
    fi
    python=$(find_python) || {
      say "chainrule needs Python >= 3.10: install it, or point PYTHON=/path/to/python3 at it, then run make again"
      exit 1
    }
  fi
  rm -rf .venv
  if ! "$python" -m venv .venv >/dev/null 2>&1; then
    # Debian and Ubuntu ship the venv module (ensurepip) as a separate package.
    local version
    version=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    if command -v apt-get >/dev/null 2>&1; then
      say "installing python${version}-venv with apt-get"
      apt_install "python${version}-venv" || apt_install python3-venv || true
    fi
    rm -rf .venv
    "$python" -m venv .venv || {
      say "could not create .venv with $python: install its venv module (Debian/Ubuntu: apt-get install python${version}-venv)"
      exit 1
    }
  fi
  say "created .venv with $("$python" --version)"
}

ensure_dot() {
  if command -v dot >/dev/null 2>&1; then
    return 0
  fi
  if command -v apt-get >/dev/null 2>&1; then
    say "installing the Graphviz program (package graphviz) with apt-get"
    apt_install graphviz || {
      say "could not install graphviz: run 'sudo apt-get install graphviz', then run make test again"
      exit 1
    }
  elif [ "$(uname -s)" = Darwin ] && command -v brew >/dev/null 2>&1; then
    say "installing the Graphviz program with Homebrew"
    brew install graphviz
  else
    say "make test needs the Graphviz 'dot' program: install Graphviz with your package manager, then run make test again"
    exit 1
  fi
  command -v dot >/dev/null 2>&1 || {
    say "Graphviz was installed but 'dot' is not on PATH"
    exit 1
  }
}

case "${1:-}" in
  venv) ensure_venv ;;
  dot) ensure_dot ;;
  *)
    say "usage: scripts/bootstrap.sh venv|dot"
    exit 2
    ;;
esac
