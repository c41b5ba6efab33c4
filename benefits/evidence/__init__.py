"""Evidence files: content checks, virus scanning, metadata removal and serving."""
