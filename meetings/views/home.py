from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from meetings.models import MANAGING_POSITIONS, PREPARING_POSITIONS
from meetings.permissions import access_for
from meetings.selectors import home as home_selectors

# Where each kind of home item leads: (route, takes the item's pk, what follows the path).
_LINKS = {
    "lead_paper": ("topics:detail", True, "#de-dan"),
    "topic": ("topics:detail", True, ""),
    "meeting": ("meetings:detail", True, ""),
    "run": ("meetings:run", True, ""),
    "finalize": ("meetings:finalize", True, ""),
    "report": ("reports:cell_list", False, "#bao-cao-{pk}"),
    "plans": ("plans:index", False, ""),
    "members": ("members:list", False, ""),
    "contribution": ("portal:contribution_edit", True, ""),
    "reply": ("portal:meetings", False, "?buoi={pk}#tra-loi"),
    "review": ("reports:detail", True, ""),
    "dashboard": ("dashboard:home", False, ""),
}


def _link(item) -> str:
    route, with_pk, suffix = _LINKS[item.kind]
    path = reverse(route, args=[item.pk]) if with_pk else reverse(route)
    return path + suffix.format(pk=item.pk)


def _with_links(section: dict) -> dict:
    for item in section["items"]:
        item.url = _link(item)
    return section


@login_required
def home(request):
    access = access_for(request.user)
    context = {"access": access}
    if access.committee_id:
        context["committee_home"] = _with_links(
            home_selectors.committee_home(access=access, committee_id=access.committee_id)
        )
    if access.cell_id and access.position in PREPARING_POSITIONS:
        context["secretary_home"] = _with_links(
            home_selectors.secretary_home(cell_id=access.cell_id, manage=access.position in MANAGING_POSITIONS)
        )
    if access.member_id:
        context["member_home"] = _with_links(home_selectors.member_home(member_id=access.member_id))
    return render(request, "meetings/home/home.html", context)
