"""Throughput benchmark: the gateway against a bare Starlette app serving the same bytes.

``python -m bench.run --scenario NAME`` (see bench/README.md). Modules:
``scenarios`` (what is measured), ``servers`` (uvicorn processes),
``apps`` (the ASGI factories those processes load), ``load`` (the load
generators) and ``run`` (the command line and the report).
"""
