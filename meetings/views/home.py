from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from meetings.models import PREPARING_POSITIONS
from meetings.permissions import access_for
from meetings.selectors import home as home_selectors


@login_required
def home(request):
    access = access_for(request.user)
    context = {"access": access}
    if access.committee_id:
        context["committee_home"] = home_selectors.committee_home(committee_id=access.committee_id)
    if access.cell_id and access.position in PREPARING_POSITIONS:
        context["secretary_home"] = home_selectors.secretary_home(cell_id=access.cell_id)
    if access.member_id:
        context["member_home"] = home_selectors.member_home(member_id=access.member_id)
    return render(request, "meetings/home/home.html", context)
