"""Notification side of CoopWatch: the change digest (email and static report), its
delivery through an outbox, and run-failure alerts."""
