""" "Download my data": what goes in the export, how it is built, and its schema.

- ``registry``: the sections of ``data.json``, each filled by a collector that the app
  owning the records registers (higher apps in their ``AppConfig.ready()``).
- ``sections``: the collectors for records held by this app and the apps below it.
- ``roles``: who recorded something, as the person is told it (a role, never a staff name).
- ``building``: the ZIP (``data.json``, ``schema.json``, ``summary.pdf``, the files).
- ``pdf``: the readable summary.
- ``services``: asking for an export, building it with progress, expiring old ones.
- ``schema.json``: the JSON Schema of ``data.json``, explained in docs/data-export.md.
"""
