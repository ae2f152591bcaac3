#!/usr/bin/env bash
# Build the course image and prove it works the way a student uses it:
#   1. build (datasets from $COURSE_DATA_MIRROR when set, copied into data-mirror/ for the build,
#      which is created when missing and removed again; without a mirror the build downloads
#      them and stops with a clear message when it cannot)
#   2. run with a published port; /api/status answers 200 with the token (timed from `run`)
#   3. non-root uid 1000, jupyterhub-singleuser present, no test tools or pip cache in the image
#   4. run with --network none and a mounted work folder; /api/status 200 from inside; the
#      student workspace (exercises, dashboards; no solutions, no notebooks/) is in the mounted
#      folder; exercises/00_welcome.ipynb executes offline (COURSE_FAST=1) with no stderr output
#      and its output written to the mounted folder; `course workspace --solutions` adds the
#      solutions; after the container stops the files are still on the host
#   5. no hidden test anywhere: every .ipynb in the image and the workspace is searched for the
#      hidden-test marker and the hidden tests' text (scripts/hidden_tests_check.py against
#      notebooks/), and the whole image filesystem for the marker (only course_lib's grader
#      may name it)
#   6. image size and start-to-200 seconds written to benchmarks/results/image.md
#
# Needs podman (sudo tools/container/setup-podman.sh) or docker: CONTAINER_CLI=docker.
# Environment: IMAGE (dl-workbook:test), PORT (18888), STARTS (3, timed starts),
# NO_BUILD=1 (reuse IMAGE), KEEP_IMAGE=1 (default; 0 removes it at the end),
# WITH_SOLUTIONS=0 (build a graded-class image without solutions), ALLOW_MISSING_DATA=1
# (without a mirror: build even when datasets cannot be downloaded), IMAGE_NOTEBOOKS (default "18":
# the solutions executed offline in the image; e.g. all of 12-19: "12 13 14 15 16 17 18 19").
# The clone is left as found: the only file it changes is the results file.
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$(pwd)
CLI=${CONTAINER_CLI:-podman}
IMAGE=${IMAGE:-dl-workbook:test}
PORT=${PORT:-18888}
STARTS=${STARTS:-3}
TOKEN=${TOKEN:-image-test-$RANDOM$RANDOM}
WAIT_S=${WAIT_S:-120}
RESULTS=benchmarks/results/image.md

say() { printf '[image-test] %s\n' "$*"; }
# podman without systemd logs an error for every healthcheck timer it cannot create; those
# lines say nothing about the image.
quiet() { "$@" 2> >(grep -v 'systemd' >&2); }
die() { printf '[image-test] FAIL: %s\n' "$*" >&2; exit 1; }

command -v "$CLI" >/dev/null \
    || die "no '$CLI' command. Run: sudo ../shared/tools/container/setup-podman.sh (or CONTAINER_CLI=docker)"
command -v curl >/dev/null || die "curl is needed"

WITH_SOLUTIONS=${WITH_SOLUTIONS:-1}
# Notebook 18 (BERT: the offline MiniLM weights, tensorflow-text ops) runs in every image test
# unless IMAGE_NOTEBOOKS says otherwise ("" for none); it needs the solutions in the image.
if [ -z "${IMAGE_NOTEBOOKS+set}" ]; then
    IMAGE_NOTEBOOKS=18
    [ "$WITH_SOLUTIONS" = 1 ] || IMAGE_NOTEBOOKS=""
fi
BUILD_FLAGS=(--build-arg "WITH_SOLUTIONS=$WITH_SOLUTIONS")
[ "$CLI" = podman ] && BUILD_FLAGS+=(--pull=never --format docker)
[ "${ALLOW_MISSING_DATA:-0}" = 1 ] && BUILD_FLAGS+=(--build-arg ALLOW_MISSING_DATA=1)
[ -d notebooks ] || die "notebooks/ is missing: run this from a clone of the project"

CONTAINERS=()
MIRROR_CREATED=0
MIRROR_COPIED=()
WORK=$(mktemp -d /tmp/image-test-work.XXXXXX)
cleanup() {
    for id in "${CONTAINERS[@]}"; do "$CLI" rm -f "$id" >/dev/null 2>&1 || true; done
    # Only what this run put into data-mirror/ goes; the folder too when this run made it.
    for name in "${MIRROR_COPIED[@]}"; do rm -rf "data-mirror/$name"; done
    if [ "$MIRROR_CREATED" = 1 ]; then rm -rf data-mirror; fi
    rm -rf "$WORK"
    if [ "${KEEP_IMAGE:-1}" = 0 ]; then "$CLI" rmi "$IMAGE" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
# An executed notebook: no error output, no stderr output; prints its test accuracy if it says one.
cat >"$WORK/check_executed.py" <<'EOF'
import json, re, sys
nb = json.load(open(sys.argv[1]))
text = "".join(
    "".join(o.get("text", "")) for c in nb["cells"] if c["cell_type"] == "code"
    for o in c.get("outputs", [])
)
errors = [o for c in nb["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
if errors:
    sys.exit(f"error outputs: {errors[0].get('ename')}")
stderr = [o for c in nb["cells"] for o in c.get("outputs", [])
          if o.get("output_type") == "stream" and o.get("name") == "stderr"
          and "allow-stderr" not in c.get("metadata", {}).get("tags", [])]
if stderr:
    sys.exit("stderr outputs (red boxes): " + " | ".join("".join(o["text"])[:300] for o in stderr))
m = re.search(r"test accuracy[^0-9]*([0-9.]+)", text, re.I)
print(m.group(1) if m else "?")
EOF

# ---------------------------------------------------------------- 1. build
BUILD_S=""
if [ "${NO_BUILD:-0}" != 1 ]; then
    DATA_FROM="downloaded at build time"
    if [ -n "${COURSE_DATA_MIRROR:-}" ]; then
        [ -d "$COURSE_DATA_MIRROR" ] || die "COURSE_DATA_MIRROR=$COURSE_DATA_MIRROR is not a folder"
        if [ ! -e data-mirror ]; then mkdir data-mirror; MIRROR_CREATED=1; fi
        [ -d data-mirror ] || die "data-mirror exists but is not a folder; move it away"
        say "copying the data mirror $COURSE_DATA_MIRROR into data-mirror/ for the build"
        for entry in "$COURSE_DATA_MIRROR"/*; do
            name=$(basename "$entry")
            [ "$name" = README.md ] && continue
            [ -e "data-mirror/$name" ] && continue   # already there: yours, left alone
            MIRROR_COPIED+=("$name")
            cp -r "$entry" "data-mirror/$name"
        done
        DATA_FROM="baked in from the data mirror"
    elif [ -d data-mirror ] && [ -n "$(ls -A data-mirror)" ]; then
        say "no COURSE_DATA_MIRROR: the build uses what is in data-mirror/"
        DATA_FROM="baked in from data-mirror/"
    else
        say "no COURSE_DATA_MIRROR: the build downloads the datasets (needs the network;"
        say "  without it the build stops at the datasets step; COURSE_DATA_MIRROR=DIR avoids that)"
    fi
    say "building $IMAGE (WITH_SOLUTIONS=$WITH_SOLUTIONS)"
    t0=$(date +%s.%N)
    if ! "$CLI" build "${BUILD_FLAGS[@]}" -t "$IMAGE" . >"$WORK/build.log" 2>&1; then
        tail -40 "$WORK/build.log"
        if grep -q "ERROR: datasets could not be downloaded" "$WORK/build.log"; then
            die "the build could not download the datasets (no network?). Run with a mirror:" \
                "COURSE_DATA_MIRROR=/path/to/shared/data make image-test, or build without" \
                "them: ALLOW_MISSING_DATA=1 make image-test"
        fi
        die "build failed (log above)"
    fi
    BUILD_S=$(python3 -c "import time; print(f'{time.time() - $t0:.0f}')")
    say "built in ${BUILD_S} s"
    grep -E "datasets in the cache|Not available" "$WORK/build.log" | sed 's/^/    /' || true
fi
SIZE_B=$("$CLI" image inspect --format '{{.Size}}' "$IMAGE")
SIZE_GB=$(python3 -c "print(f'{$SIZE_B / 1e9:.2f}')")
say "image size ${SIZE_GB} GB ($SIZE_B bytes)"

# -------------------------------------------------- 2. start time to /api/status 200
wait_200() {  # URL -> prints seconds since $2 (epoch float) when 200, or fails
    local url=$1 t0=$2 deadline=$(( $(date +%s) + WAIT_S ))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: token $TOKEN" "$url" || true)
        if [ "$code" = 200 ]; then
            python3 -c "import time; print(f'{time.time() - $t0:.1f}')"
            return 0
        fi
        sleep 0.2
    done
    return 1
}

START_TIMES=()
for i in $(seq 1 "$STARTS"); do
    t0=$(date +%s.%N)
    cid=$(quiet "$CLI" run -d -p "127.0.0.1:$PORT:8888" -e "JUPYTER_TOKEN=$TOKEN" "$IMAGE")
    CONTAINERS+=("$cid")
    s=$(wait_200 "http://127.0.0.1:$PORT/api/status" "$t0") \
        || { "$CLI" logs "$cid" | tail -30; die "no 200 from /api/status within ${WAIT_S} s"; }
    START_TIMES+=("$s")
    say "start $i: /api/status 200 after $s s"
    if [ "$i" = 1 ]; then
        code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/api/status")
        [ "$code" = 403 ] || die "/api/status without the token gave $code, expected 403 (token auth off?)"
        say "without the token: $code (token authentication is on)"
        uid=$("$CLI" exec "$cid" id -u)
        [ "$uid" = 1000 ] || die "container runs as uid $uid, expected 1000"
        user=$("$CLI" exec "$cid" id -un); home=$("$CLI" exec "$cid" sh -c 'echo $HOME')
        [ "$user/$home" = "jovyan//home/jovyan" ] || die "user/home is $user/$home"
        "$CLI" exec "$cid" jupyterhub-singleuser --version >/dev/null \
            || die "jupyterhub-singleuser is missing"
        if "$CLI" exec "$cid" python -c "import pytest" 2>/dev/null; then
            die "pytest is in the image (test tools must stay out)"
        fi
        caches=$("$CLI" exec "$cid" sh -c 'du -sm /root/.cache/pip /home/jovyan/.cache/pip 2>/dev/null | wc -l')
        [ "$caches" = 0 ] || die "a pip cache is in the image"
        "$CLI" exec "$cid" course lecture >"$WORK/lecture.txt" || die "course lecture failed"
        say "checks: uid 1000 jovyan, jupyterhub-singleuser, no pytest, no pip cache, $(grep -c '^  ' "$WORK/lecture.txt") dashboards"
        if [ "$CLI" = podman ]; then
            sleep 1
            "$CLI" healthcheck run "$cid" >/dev/null && say "HEALTHCHECK passes" \
                || die "HEALTHCHECK fails"
        fi
    fi
    quiet "$CLI" rm -f "$cid" >/dev/null
done
START_MEDIAN=$(printf '%s\n' "${START_TIMES[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')

# ----------------------- 3. offline: --network none, mounted work folder, notebook runs
chmod 0777 "$WORK"
mkdir -m 0777 "$WORK/student"
cid=$(quiet "$CLI" run -d --network none -e "JUPYTER_TOKEN=$TOKEN" -e COURSE_FAST=1 \
    -e COURSE_OFFLINE=1 -v "$WORK/student:/home/jovyan/work" "$IMAGE")
CONTAINERS+=("$cid")
probe='import os,sys,time,urllib.request as u
r=u.Request("http://127.0.0.1:8888/api/status",headers={"Authorization":"token "+os.environ["JUPYTER_TOKEN"]})
for _ in range(600):
    try:
        sys.exit(0 if u.urlopen(r,timeout=2).status==200 else 1)
    except OSError:
        time.sleep(0.2)
sys.exit(1)'
"$CLI" exec "$cid" python -c "$probe" || die "no 200 from /api/status inside the offline container"
net=$("$CLI" exec "$cid" python -c 'import socket
try:
    socket.create_connection(("pypi.org", 443), timeout=3); print("online")
except OSError:
    print("offline")')
[ "$net" = offline ] || die "the container reached the network with --network none"
say "--network none: /api/status 200 inside; no route out"
[ -f "$WORK/student/exercises/00_welcome.ipynb" ] \
    || die "the exercises were not copied into the mounted work folder"
[ -d "$WORK/student/dashboards" ] || die "the dashboards were not copied into the work folder"
[ ! -e "$WORK/student/notebooks" ] || die "the instructor notebooks/ are in the student workspace"
[ ! -e "$WORK/student/solutions" ] || die "solutions are in the workspace before anyone asked"
N_EX=$(find "$WORK/student/exercises" -name '*.ipynb' | wc -l)
say "student workspace: $N_EX exercises + dashboards, no solutions, no notebooks/"
# An image built with ALLOW_MISSING_DATA=1 where nothing could be fetched has no MNIST: the
# notebook runs below need it offline, so they are skipped and the results say so.
DATA_MISSING=0
if "$CLI" exec "$cid" course data status --no-verify mnist | grep -qE '^mnist +missing'; then
    [ "${ALLOW_MISSING_DATA:-0}" = 1 ] || die "the image has no MNIST, yet ALLOW_MISSING_DATA is not 1"
    DATA_MISSING=1
    DATA_FROM="not in the image (the build could not fetch them; ALLOW_MISSING_DATA=1)"
    say "the image has no datasets (ALLOW_MISSING_DATA=1): notebook runs skipped"
fi
NB_S="" ACC=""
if [ "$DATA_MISSING" = 0 ]; then
    t0=$(date +%s.%N)
    "$CLI" exec -e COURSE_VIEWS=static "$cid" jupyter nbconvert --to notebook --execute \
        --ExecutePreprocessor.timeout=600 --output-dir /home/jovyan/work/executed \
        /home/jovyan/work/exercises/00_welcome.ipynb >"$WORK/nbconvert.log" 2>&1 \
        || { tail -30 "$WORK/nbconvert.log"; die "00_welcome.ipynb failed offline"; }
    NB_S=$(python3 -c "import time; print(f'{time.time() - $t0:.0f}')")
fi
SOLUTIONS_NOTE="built with WITH_SOLUTIONS=0: no solutions in the image"
if [ "$WITH_SOLUTIONS" = 1 ]; then
    "$CLI" exec "$cid" course workspace --solutions >/dev/null \
        || die "course workspace --solutions failed in the image"
    N_SOL=$(find "$WORK/student/solutions" -name '*.ipynb' | wc -l)
    [ "$N_SOL" -gt 0 ] || die "course workspace --solutions copied no solutions"
    SOLUTIONS_NOTE="\`course workspace --solutions\` added $N_SOL solutions"
else
    if "$CLI" exec "$cid" course workspace --solutions >/dev/null 2>&1; then
        die "WITH_SOLUTIONS=0, yet course workspace --solutions found solutions"
    fi
    "$CLI" exec "$cid" sh -c '! find / -xdev -path /proc -prune -o -name "*.ipynb" -path "*solutions*" -print 2>/dev/null | grep -q .' \
        || die "WITH_SOLUTIONS=0, yet the image holds a solutions notebook"
fi
say "$SOLUTIONS_NOTE"
# TensorBoard behind jupyter-server-proxy (the launcher tile), offline, from inside the container.
tb_probe='import os,sys,time,urllib.request as u
r=u.Request("http://127.0.0.1:8888/tensorboard/",headers={"Authorization":"token "+os.environ["JUPYTER_TOKEN"]})
for _ in range(120):
    try:
        body=u.urlopen(r,timeout=5).read().decode("utf-8","replace")
        sys.exit(0 if "tensorboard" in body.lower() else 2)
    except OSError:
        time.sleep(1)
sys.exit(1)'
"$CLI" exec "$cid" python -c "$tb_probe" || die "TensorBoard did not answer at /tensorboard/ (jupyter-server-proxy)"
say "TensorBoard answers at /tensorboard/ through jupyter-server-proxy, offline"
# More notebooks offline, as a student runs them: IMAGE_NOTEBOOKS="12 13 18" runs those
# solutions (fast mode, --network none) and checks them for errors and stderr output.
NB_ROWS=()
if [ "$DATA_MISSING" = 1 ] && [ -n "${IMAGE_NOTEBOOKS:-}" ]; then
    say "IMAGE_NOTEBOOKS skipped: no datasets"
    IMAGE_NOTEBOOKS=""
fi
for prefix in ${IMAGE_NOTEBOOKS:-}; do
    [ "$WITH_SOLUTIONS" = 1 ] || die "IMAGE_NOTEBOOKS needs the solutions (WITH_SOLUTIONS=1)"
    nb=$(cd "$WORK/student/solutions" && ls "$prefix"*.ipynb 2>/dev/null | head -1)
    [ -n "$nb" ] || die "IMAGE_NOTEBOOKS: no solutions/$prefix*.ipynb in the image"
    t1=$(date +%s.%N)
    "$CLI" exec -e COURSE_VIEWS=static "$cid" jupyter nbconvert --to notebook --execute \
        --ExecutePreprocessor.timeout=1200 --output-dir /home/jovyan/work/executed-solutions \
        "/home/jovyan/work/solutions/$nb" >"$WORK/nbconvert-$prefix.log" 2>&1 \
        || { tail -30 "$WORK/nbconvert-$prefix.log"; die "solutions/$nb failed offline in the image"; }
    s1=$(python3 -c "import time; print(f'{time.time() - $t1:.0f}')")
    python3 "$WORK/check_executed.py" "$WORK/student/executed-solutions/$nb" >/dev/null \
        || die "solutions/$nb has error or stderr outputs"
    say "solutions/$nb ran offline in $s1 s, no errors, no stderr output"
    NB_ROWS+=("| \`solutions/$nb\` executed with \`--network none\`, COURSE_FAST=1 | $s1 s, no errors, no stderr output | no stderr |")
done
# Every notebook anywhere in the image, copied out, and the whole filesystem for the marker.
"$CLI" exec "$cid" sh -c 'find / -xdev \( -path /proc -o -path /sys -o -path /home/jovyan/work \) -prune -o -name "*.ipynb" -print 2>/dev/null; true' \
    >"$WORK/image-notebooks.txt"
mkdir -p "$WORK/image-files"
"$CLI" exec "$cid" sh -c 'find / -xdev \( -path /proc -o -path /sys -o -path /home/jovyan/work \) -prune -o -name "*.ipynb" -print0 2>/dev/null | xargs -0 tar -cf - 2>/dev/null; true' \
    | tar -xf - -C "$WORK/image-files"
N_IMG_NB=$(wc -l <"$WORK/image-notebooks.txt")
python3 scripts/hidden_tests_check.py notebooks "$WORK/image-files" "$WORK/student" >"$WORK/hidden.txt" \
    || { cat "$WORK/hidden.txt"; die "hidden tests found in the image or the workspace"; }
HIDDEN_NOTE=$(cat "$WORK/hidden.txt")
marker_hits=$("$CLI" exec "$cid" sh -c 'grep -rlF "### BEGIN HIDDEN TESTS" / --exclude-dir=proc --exclude-dir=sys --exclude-dir=dev 2>/dev/null | grep -v -E "/site-packages/course_lib(/|-[0-9.]+\.dist-info/)" || true')
[ -z "$marker_hits" ] || die "the hidden-test marker is in image files: $marker_hits"
say "no hidden tests: $N_IMG_NB notebooks in the image and the workspace; $HIDDEN_NOTE"
say "whole image filesystem: the marker appears only in course_lib's grader code"
"$CLI" exec "$cid" sh -c 'echo "my answer" > /home/jovyan/work/notes.txt'
quiet "$CLI" stop -t 10 "$cid" >/dev/null
quiet "$CLI" rm -f "$cid" >/dev/null
[ "$(cat "$WORK/student/notes.txt")" = "my answer" ] || die "notes.txt did not survive"
if [ "$DATA_MISSING" = 0 ]; then
    executed="$WORK/student/executed/00_welcome.ipynb"
    [ -f "$executed" ] || die "the executed notebook is not on the host after the container stopped"
    ACC=$(python3 "$WORK/check_executed.py" "$executed") || die "the executed notebook has errors"
    say "00_welcome.ipynb ran offline in ${NB_S} s (test accuracy $ACC, no stderr output); work files survived the stop"
else
    say "work files survived the stop"
fi

# ---------------------------------------------------------------- 4. results
mkdir -p benchmarks/results
SMIN=$(printf '%s\n' "${START_TIMES[@]}" | sort -n | head -1)
SMAX=$(printf '%s\n' "${START_TIMES[@]}" | sort -n | tail -1)
{
    echo "# Course image: size and start time"
    echo
    echo "Measured by \`scripts/image-test.sh\` ($CLI $("$CLI" --version | awk '{print $NF}'),"
    echo "$(nproc) CPU cores, load average $(cut -d' ' -f1 /proc/loadavg) at the end: the machine"
    echo "was shared with other jobs, so times are upper bounds) on $(date -u +%Y-%m-%d)."
    echo "Base: the local python:3.11-slim stand-in (Debian's Python 3.11.2; see"
    echo "../shared/tools/container/README.md); datasets ${DATA_FROM:-from the image as it was}"
    echo "(imdb and reuters sequences have no mirror copy and are fetched on first use when online);"
    echo "built with WITH_SOLUTIONS=$WITH_SOLUTIONS."
    echo
    echo "| measure | value | goal |"
    echo "|---|---|---|"
    echo "| image size (uncompressed, \`$CLI image inspect\`) | $SIZE_GB GB | ≤ 3 GB |"
    [ -n "$BUILD_S" ] && echo "| build time (this run; layers may come from the cache) | $BUILD_S s | |"
    echo "| \`run\` → \`/api/status\` 200, median of $STARTS starts | $START_MEDIAN s (min $SMIN, max $SMAX) | ≤ 10 s |"
    if [ "$DATA_MISSING" = 0 ]; then
        echo "| \`exercises/00_welcome.ipynb\` executed with \`--network none\`, COURSE_FAST=1 | $NB_S s, test accuracy $ACC, no stderr output | no stderr |"
    else
        echo "| notebooks executed offline | skipped: built with ALLOW_MISSING_DATA=1 and no datasets | |"
    fi
    for row in "${NB_ROWS[@]}"; do echo "$row"; done
    echo "| TensorBoard at \`/tensorboard/\` (jupyter-server-proxy), \`--network none\` | answers | |"
    echo
    echo "Checked in the same run: token authentication on (403 without the token), uid 1000"
    echo "\`jovyan\` with home /home/jovyan, \`jupyterhub-singleuser\` present, no pytest and no pip"
    echo "cache in the image, HEALTHCHECK passing, no network route with \`--network none\`, files"
    echo "written to the mounted work folder still on the host after the container stopped."
    echo
    echo "Student workspace and hidden tests (same run): on start the image filled the mounted"
    echo "work folder with $N_EX exercises and the dashboards, without solutions and without the"
    echo "instructor's notebooks/; $SOLUTIONS_NOTE. $HIDDEN_NOTE"
    echo "(the image's $N_IMG_NB notebooks outside the workspace included); a search of the whole"
    echo "image filesystem finds the marker \`### BEGIN HIDDEN TESTS\` only in course_lib's grader code and its README (package metadata)."
    echo
    echo "## Comparison"
    echo
    echo "The usual ready-made alternative, Jupyter Docker Stacks' \`tensorflow-notebook\`"
    echo "(quay.io/jupyter/tensorflow-notebook, x86_64, tag c49624e35d4f built 2026-07-28), is"
    echo "**7.73 GB** according to its published build manifest"
    echo "(https://github.com/jupyter/docker-stacks/wiki/x86_64-default-tensorflow-notebook-c49624e35d4f),"
    echo "without this course's datasets, BERT weights or notebooks. This image: $SIZE_GB GB, about"
    echo "$(python3 -c "print(round(100 * $SIZE_B / 7.73e9))") % of it."
} >"$RESULTS"
say "results written to $RESULTS"
