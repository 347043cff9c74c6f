"""Load tools for `make bench` and the load tests: a keep-alive HTTP client that simulates
displays and measures them, and a way to start production app processes on loopback."""
