#!/bin/bash
# Container entry point of the Deep Learning Workbook image: starts JupyterLab on :8888 in the
# student workspace.
#
# Token authentication stays on: Jupyter makes a random token and prints the URL with it
# (`docker logs CONTAINER`). Set JUPYTER_TOKEN to choose the token, or JUPYTER_PASSWORD to
# log in with a password instead. Extra arguments go to `jupyter lab`.
#
# The workspace is $COURSE_WORKSPACE (/home/jovyan/work; mount a host folder there so work
# outlives the container). On every start `course workspace` copies the exercises and
# dashboards from /opt/course into it; files already there are never overwritten, so a newer
# image adds new exercises without touching a student's answers. Solutions: run
# `course workspace --solutions` in a terminal (images built with WITH_SOLUTIONS=0 have none).
set -euo pipefail

work=${COURSE_WORKSPACE:-/home/jovyan/work}
if ! course workspace "$work"; then
    echo "start-workbook: could not fill the workspace $work (see above); starting anyway" >&2
fi

args=(--ip=0.0.0.0 --port=8888 --no-browser "--ServerApp.root_dir=$work")
if [ -n "${JUPYTER_PASSWORD:-}" ]; then
    hashed=$(python3 -c 'import os; from jupyter_server.auth import passwd; print(passwd(os.environ["JUPYTER_PASSWORD"]))')
    args+=("--PasswordIdentityProvider.hashed_password=$hashed" "--IdentityProvider.token=")
fi
exec jupyter lab "${args[@]}" "$@"
