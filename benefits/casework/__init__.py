"""Casework: the queue and assignment, straight-through decisions, change reviews, the admin."""
