"""Speed benchmarks: ``python -m benchmarks`` (see README)."""
