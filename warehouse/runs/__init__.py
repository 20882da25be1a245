"""Runs and what they leave: run rows and manifests, the run's account, fetch state, the outbox, the calendar."""
