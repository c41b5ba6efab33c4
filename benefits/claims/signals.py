"""What claims announce, so that higher rooms act on it without claims importing them."""

from __future__ import annotations

from django.dispatch import Signal

#: Sent after commit, with ``claim_id``, when a sent claim may be decided without a
#: caseworker: it was sent, or evidence or an answer arrived. Casework connects
#: straight-through processing to it in ``BenefitsConfig.ready()``.
may_be_decided = Signal()
