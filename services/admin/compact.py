"""Admin pages without the indentation of their templates.

Django's admin templates indent every tag; in a service's form, with a form per
contact point, statement and step, that indentation is a third of the page. A
caseworker on a slow connection waits for it all the same, so it is cut before
the page leaves: only the spaces and tabs after a line break, never the line
break itself (so words are never joined), and never inside a text box, a
preformatted block or a script, where spaces are part of what a person wrote.
"""

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

INDENTATION = re.compile(rb"\n[ \t]+")
KEPT_AS_WRITTEN = re.compile(
    rb"(<textarea\b.*?</textarea>|<pre\b.*?</pre>|<script\b.*?</script>)",
    re.DOTALL | re.IGNORECASE,
)


def without_indentation(html: bytes) -> bytes:
    parts = KEPT_AS_WRITTEN.split(html)
    # Every odd part is a block kept as written.
    return b"".join(
        part if number % 2 else INDENTATION.sub(b"\n", part)
        for number, part in enumerate(parts)
    )


class AdminIndentationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            request.path.startswith(f"/{settings.ADMIN_URL}")
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and not response.has_header("Content-Encoding")
        ):
            content = without_indentation(response.content)  # type: ignore[attr-defined]
            response.content = content  # type: ignore[attr-defined]
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(content))
        return response
