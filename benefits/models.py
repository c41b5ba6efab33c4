"""What people can get: catalogue, rules as code (rules/), screener, claims, evidence, decisions, payments. Filled by the Rules and Claims issues."""
