# Medic: one image for the API, the agent worker and the MLflow tracking server.
# Build: docker build -t medic .   (docker-compose.yml builds it for every service)

# -- build: resolve and install the dependencies into a virtual environment ---------------
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 UV_COMPILE_BYTECODE=1
RUN python -m venv /opt/venv && /opt/venv/bin/pip install --quiet uv
WORKDIR /src
COPY pyproject.toml README.md ./
COPY core core
COPY ml ml
COPY tools tools
COPY agent_graph agent_graph
COPY services services
COPY api api
COPY cli cli
COPY ui ui
COPY prompts prompts
COPY configs configs
RUN /opt/venv/bin/uv pip install --quiet --python /opt/venv/bin/python .

# -- runtime: the virtual environment, the source and the data; no compiler, no root -----
FROM python:3.11-slim-bookworm AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 libpango-1.0-0 libpangoft2-1.0-0 \
      libharfbuzz0b libharfbuzz-subset0 libfontconfig1 libglib2.0-0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 medic \
 && useradd --system --uid 10001 --gid medic --home-dir /var/lib/medic --shell /usr/sbin/nologin medic \
 && mkdir -p /var/lib/medic /var/lib/mlflow && chown medic:medic /var/lib/medic /var/lib/mlflow
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --chown=root:root . /app
# PYTHONDONTWRITEBYTECODE (below) stops processes writing bytecode, so compile it here, once:
# without it every process would compile Medic's modules from source (the packages in the
# venv were compiled by uv above, UV_COMPILE_BYTECODE=1).
RUN /opt/venv/bin/python -m compileall -q -j 0 core ml tools agent_graph services api cli ui \
      prompts configs
# The source in /app comes first, so settings find configs/ and data/ beside the code.
ENV PATH=/opt/venv/bin:$PATH PYTHONPATH=/app PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    HOME=/var/lib/medic MEDIC_HOME=/var/lib/medic MPLCONFIGDIR=/tmp/matplotlib \
    DO_NOT_TRACK=true GRADIO_ANALYTICS_ENABLED=False MLFLOW_ENABLE_ASYNC_LOGGING=false
USER medic:medic
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/health', timeout=2)"]
CMD ["medic", "up", "--no-worker", "--host", "0.0.0.0", "--port", "8000"]
