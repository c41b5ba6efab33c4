"""Representatives and the person's data rights: one module per area.

- ``delegation``: who may act for a person, with which scopes, and what they did.
- ``consent``: append-only records of what the person agreed to.
- ``export``: "Download my data" jobs.
- ``corrections``: "This is wrong" requests about a fact.
"""

from representatives.models.consent import *  # noqa: F403
from representatives.models.corrections import *  # noqa: F403
from representatives.models.delegation import *  # noqa: F403
from representatives.models.export import *  # noqa: F403
from representatives.models.retention import *  # noqa: F403
