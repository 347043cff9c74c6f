"""What a person does to a meeting: one function per action, atomic, logged with who did it.

Views, the admin, commands and the live screens call these and never write the rules again.
A service may read the outputs (an invitation attaches the calendar file, publishing keeps
a snapshot of the record); it never imports a view or the live feed.
"""
