from django.shortcuts import render

from dfsp.core.access import public_view
from dfsp.core.navigation import entries_for


@public_view
def home(request):
    return render(request, "portal/home.html", {"tiles": entries_for(request.user)})
