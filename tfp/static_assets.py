"""Static files as whitenoise serves them, plus the MOJ Frontend's images.

GOV.UK Frontend's and MOJ Frontend's stylesheets both ask for their fonts and images at
/assets/... (``WHITENOISE_ROOT`` is GOV.UK Frontend's folder). MOJ's images (the filter's
remove-tag cross, the sortable table's arrows) live in its own package, so they are added
under the same /assets/ prefix here; no name is in both packages.
"""

from __future__ import annotations

from django.conf import settings
from whitenoise.middleware import WhiteNoiseMiddleware

MOJ_ASSETS = settings.NODE_MODULES / "@ministryofjustice" / "frontend" / "moj" / "assets"


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    def __init__(self, get_response=None, settings=settings):
        super().__init__(get_response, settings)
        self.add_files(MOJ_ASSETS, prefix="assets/")
