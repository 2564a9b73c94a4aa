"""webby: a small WSGI web framework."""

from .app import App
from .errors import HTTPError, abort
from .request import Request
from .response import Response, json_response, redirect
from .testing import Client

__all__ = ["App", "Client", "HTTPError", "Request", "Response", "abort", "json_response", "redirect"]
__version__ = "1.3.0"
