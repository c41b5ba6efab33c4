"""Claims: applying, the lifecycle, evidence and requests, decisions, payments, the person's claim pages and letters."""
