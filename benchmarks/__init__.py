"""Quality and speed benchmarks of the scorer: ``python -m benchmarks.run --help``.

Each module measures one thing and returns plain JSON-able dicts; :mod:`benchmarks.report`
renders them into ``docs/benchmarks.md``.
"""
