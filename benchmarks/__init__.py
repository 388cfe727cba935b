"""Benchmarks of erbm_geo: run one with ``python -m benchmarks.bench_<name>`` from the
checkout (``pip install -e ".[bench]"`` for the national comparison); results go to
docs/benchmarks.md and benchmarks/history/."""
