"""Shared building blocks beneath every app: form components, environment helpers, demo sign-ins. Imports no app."""
