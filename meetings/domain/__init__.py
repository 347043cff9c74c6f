"""The rules of a meeting as pure arithmetic: no Django, no database, no clock of their own.

`clock` (the speaking clock and the order of turns), `run_of_show` (clock times of every part
of the meeting), `coordination` (mechanisms an answer names). Everything else asks them; the
import contracts in pyproject.toml keep them pure.
"""
