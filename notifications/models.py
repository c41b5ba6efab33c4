"""Telling people: the outbox, channels, preferences, reminders, live status. Filled by the Notifications issue."""
