"""What a meeting gives out, read-only: the record and its files, the calendar file, the run of
show of a stored meeting, its archive. Nothing here writes to the database."""
