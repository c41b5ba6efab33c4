"""Applying for a benefit online: a task list of sections, one question per page."""
