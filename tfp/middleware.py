"""Nothing the service shows is kept by a browser's or a proxy's cache."""

from __future__ import annotations


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every page and download Django answers: they show
    families, people and claims, often on shared office machines, and the back button must
    not bring a signed-out session's pages back. Static files are served before this runs
    (WhiteNoise) and stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        return response
