"""What representatives did, in words the person reads on "What your representatives did".

Each page a representative opens and each thing they do while acting is one row. The
words come from the view's own mark (``@representable(..., what=...)``), or from the
route below, or from the part of the service the route belongs to.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from accounts.models import Customer, User
from benefits.models import Claim
from representatives.models import RepresentativeAction
from representatives.services import record_action

#: Route name → (when looked at, when done), for routes whose part's words are too vague.
ROUTES = {
    "portal:home": (_("Looked at the “Your services” page"), _("Used the “Your services” page")),
    "claims:detail": (_("Looked at a claim"), _("Changed a claim")),
    "claims:add_evidence": (_("Opened the page to send a document"), _("Sent a document")),
    "claims:document": (_("Opened a document"), _("Opened a document")),
    "claims:answer_request": (_("Opened a request for information"), _("Answered a request for information")),
    "claims:decision_letter": (_("Read a decision letter"), _("Read a decision letter")),
    "claims:statement": (_("Read an award statement"), _("Read an award statement")),
    "claims:withdraw": (_("Opened the page to withdraw a claim"), _("Withdrew a claim")),
    "claims:reconsider": (_("Opened the page to ask us to look again"), _("Asked us to look at a decision again")),
    "conversations:new": (_("Opened the page to write to us"), _("Sent us a new message")),
    "conversations:new_about_claim": (_("Opened the page to write to us"), _("Sent us a new message")),
    "conversations:detail": (_("Read a conversation"), _("Replied in a conversation")),
    "conversations:attachment": (_("Opened a file in a conversation"), _("Opened a file in a conversation")),
    "appointments:book_check": (_("Checked an appointment before booking"), _("Booked an appointment")),
    "appointments:move": (_("Opened the page to move an appointment"), _("Moved an appointment")),
    "appointments:cancel": (_("Opened the page to cancel an appointment"), _("Cancelled an appointment")),
    "accounts:add_household_member": (_("Opened the page to add someone to the household"), _("Added someone to the household")),
    "accounts:household_member_left": (_("Opened the page to say someone left"), _("Told us someone left the household")),
    "journeys:change_done": (_("Looked at a reported change"), _("Reported a change")),
}  # fmt: skip

#: The part of the service a route belongs to → (looked at, did something in).
PARTS = {
    "claims": (_("Looked at a claim or application"), _("Worked on a claim or application")),
    "conversations": (_("Read messages"), _("Wrote to us")),
    "appointments": (_("Looked at appointments"), _("Changed an appointment")),
    "notifications": (_("Read notifications"), _("Marked notifications read")),
    "journeys": (_("Looked at plans, tasks or changes"), _("Reported a change or ticked off a task")),
    "accounts": (_("Looked at personal details or the household"), _("Changed the household")),
    "portal": (_("Looked at the “Your services” page"), _("Used the “Your services” page")),
}  # fmt: skip


def user_name(user: User) -> str:
    """An adviser's name as the person reads it: never their sign-in email."""
    customer = (
        Customer.objects.filter(user=user).only("legal_given_names", "legal_family_name").first()
    )
    return (customer.full_name if customer else "") or str(_("An adviser"))


def words(*, route: str, view_what: str, viewing: bool) -> str:
    if view_what and viewing:
        return str(view_what)
    pair = ROUTES.get(route) or PARTS.get(route.partition(":")[0])
    if pair is None:
        return str(view_what or _("Used the service"))
    return str(pair[0] if viewing else pair[1])


def record(request: HttpRequest, response: HttpResponse, view_func, view_kwargs: dict) -> None:
    current = request.acting  # type: ignore[attr-defined]
    match = request.resolver_match
    route = match.view_name if match else ""
    viewing = request.method in ("GET", "HEAD")
    what = words(
        route=route, view_what=getattr(view_func, "representable_what", ""), viewing=viewing
    )
    claim_id = view_kwargs.get("claim_id")
    if claim_id:
        reference = (
            Claim.objects.filter(pk=claim_id, customer_id=current.customer_id)
            .values_list("reference", flat=True)
            .first()
        )
        if reference:
            what = f"{what} ({reference})"
    record_action(
        representation_id=current.representation_id, customer_id=current.customer_id,
        by=request.user,  # type: ignore[arg-type]  # acting needs a sign-in
        by_name=current.representative_name,
        kind=RepresentativeAction.Kind.VIEW if viewing else RepresentativeAction.Kind.ACTION,
        what=what, route=route,
    )  # fmt: skip
