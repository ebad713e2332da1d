"""Checkpoint storage: an SQLite file of finished candidates and a fingerprint."""

from ._sqlite import CheckpointError, CheckpointStore

__all__ = ["CheckpointError", "CheckpointStore"]
