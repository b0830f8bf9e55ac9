#!/usr/bin/env bash
# Print the path of a working pythonX.Y interpreter, or explain how to get one.
# Usage: scripts/find-python.sh 3.10
# Looks on PATH first (a pyenv shim on PATH may exist but refuse to run, so each candidate
# is executed), then under `pyenv root`/versions/X.Y.*.
set -euo pipefail
want="${1:?usage: find-python.sh X.Y}"
check() { [ -x "$1" ] && "$1" -c "import sys; raise SystemExit(sys.version_info[:2] != tuple(map(int, '$want'.split('.'))))" 2>/dev/null; }
if cand=$(command -v "python$want" 2>/dev/null) && check "$cand"; then echo "$cand"; exit 0; fi
root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
for cand in $(ls -d "$root"/versions/"$want".*/bin/python"$want" 2>/dev/null | sort -V -r); do
  if check "$cand"; then echo "$cand"; exit 0; fi
done
echo "error: Python $want not found (looked for python$want on PATH and under $root/versions/$want.*)." >&2
echo "       Install it, e.g. 'pyenv install $want', then run the command again." >&2
exit 1
