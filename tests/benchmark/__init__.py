"""Load tools for `make bench` (`python -m tests.benchmark`) and the multi-process tests: a
keep-alive HTTP client that simulates displays and measures them, load processes holding
thousands of screens (crowd.py), and a way to start production app processes on loopback.
Tools, not tests: the only modules named test_ test the tools themselves."""
