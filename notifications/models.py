"""Telling people.

The outbox, channels, preferences, reminders and live status: filled by the
Notifications issue.
"""
