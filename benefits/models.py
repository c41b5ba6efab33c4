"""What people can get.

Catalogue, rules as code (``rules/``), screener, claims, evidence, decisions and payments:
filled by the Rules and Claims issues.
"""
