"""Sign-in throttling: django-axes in front of the password check."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied

from accounts.throttling import address_locked


class SignInThrottleBackend(AxesStandaloneBackend):
    """Refuses a locked-out username before any other backend checks its password.

    Throttling is about guesses arriving over the network, which always come with a request
    (the sign-in form and the admin's pass it). An authentication with no request at all —
    a management command, the test client's ``login`` — is not a guess from outside, so it
    is left to the other backends instead of being an error.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        if address_locked(request):
            # AxesMiddleware then answers with the locked-out page.
            request.axes_locked_out = True
            raise AxesBackendPermissionDenied("Too many wrong passwords from this address")
        return super().authenticate(request, username=username, password=password, **kwargs)
