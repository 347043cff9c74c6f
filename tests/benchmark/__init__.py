"""Load tools for `make bench` (`python -m tests.benchmark`) and the multi-process tests: a
keep-alive HTTP client that simulates displays and measures them, and a way to start production
app processes on loopback. Tools, not tests: no module here is named test_ except the tests of the
benchmark's own server-sent events (test_sse.py)."""
