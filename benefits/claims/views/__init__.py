"""The person's claim pages: applying (``apply``) and following a sent claim (``claim``)."""
