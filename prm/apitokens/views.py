"""The user's tokens on the profile page (``/accounts/profile/``): create one, revoke one.

The section itself is ``templates/apitokens/_profile.html``, included by the profile page; it
finds what it shows through the ``api_token_section`` tag. Creating answers the profile page with
the new secret shown once (never kept, so never shown again); an invalid form answers the page
again with its errors, 400.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prm.tenancy.selectors import memberships_of

from . import selectors, services
from .forms import TokenForm


def _profile(request, status=200, **context):
    context["memberships"] = memberships_of(request.user)
    return render(request, "portal/profile.html", context, status=status)


@login_required
@require_POST
def create(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _profile(request, status=400, token_form=form)
    try:
        token, secret = services.issue(
            user=request.user,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            days=form.cleaned_data["expires_in_days"],
        )
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
        return _profile(request, status=400, token_form=form)
    messages.success(request, _("The token “%(name)s” is made: copy its secret now.") % {"name": token.name})
    return _profile(request, new_token=token, new_secret=secret)


@login_required
@require_POST
def revoke(request, pk):
    token = selectors.token_of(request.user, pk)
    if token is None:
        raise Http404
    if services.revoke(token=token, actor=request.user):
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    else:
        messages.info(request, _("The token “%(name)s” had already ended.") % {"name": token.name})
    return redirect("profile")
