"""`python -m tests.benchmark` (what `make bench` runs): sets Django up with the settings the
environment names, then runs the benchmark of tests/benchmark/bench.py."""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from tests.benchmark.bench import main  # noqa: E402 (the models need Django set up first)

sys.exit(main())
