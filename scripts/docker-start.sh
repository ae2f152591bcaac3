#!/bin/bash
# Container entry point of the Deep Learning Workbook image: starts JupyterLab on :8888.
#
# Token authentication stays on: Jupyter makes a random token and prints the URL with it
# (`docker logs CONTAINER`). Set JUPYTER_TOKEN to choose the token, or JUPYTER_PASSWORD to
# log in with a password instead. Extra arguments go to `jupyter lab`.
#
# When /home/jovyan/work is a mounted folder, the course notebooks are copied into it once
# (files already there are never overwritten), so students edit copies that outlive the
# container.
set -euo pipefail

work=/home/jovyan/work
if awk -v w="$work" '$5 == w {found = 1} END {exit !found}' /proc/self/mountinfo \
    && [ -w "$work" ]; then
    for dir in notebooks exercises; do
        if [ -d "/home/jovyan/$dir" ] && [ ! -e "$work/$dir" ]; then
            cp -r --no-clobber "/home/jovyan/$dir" "$work/$dir"
        fi
    done
fi

args=(--ip=0.0.0.0 --port=8888 --no-browser --ServerApp.root_dir=/home/jovyan)
if [ -n "${JUPYTER_PASSWORD:-}" ]; then
    hashed=$(python3 -c 'import os; from jupyter_server.auth import passwd; print(passwd(os.environ["JUPYTER_PASSWORD"]))')
    args+=("--PasswordIdentityProvider.hashed_password=$hashed" "--IdentityProvider.token=")
fi
exec jupyter lab "${args[@]}" "$@"
