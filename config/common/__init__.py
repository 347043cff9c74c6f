"""Helpers that are not about meetings and would serve any Django project: strict environment
parsing, edit conflicts, strict request bodies, translated columns, safe spreadsheets,
validators, text comparison, number formatting, the shared cache and throttles.
They import nothing from meetings or mechanisms (pyproject.toml's import contracts)."""
