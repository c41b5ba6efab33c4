#!/usr/bin/env bash
# Print the path of a Python 3.12+ interpreter, or explain what to do and fail.
# Django 6 needs 3.12; with an older Python pip would quietly install Django 5.
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }
candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
candidates+=(python3.13 python3.12)
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for v in $(ls -d "$root"/versions/3.1[2-9]* 2>/dev/null | sort -rV); do
    candidates+=("$v/bin/python3")
  done
fi
candidates+=(python3)
for c in "${candidates[@]}"; do
  path=$(command -v "$c" 2>/dev/null) || continue
  if ok "$path"; then echo "$path"; exit 0; fi
done
cat >&2 <<'MSG'
No Python 3.12 or newer was found (Django 6 requires it).
Install one, for example:
  apt-get install -y python3.12 python3.12-venv     (where your distribution has it)
  pyenv install 3.12                                (with pyenv)
or point the Makefile at one:  make PYTHON=/path/to/python3.12 run
MSG
exit 1
