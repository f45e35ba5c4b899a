"""Check kinds: the few pieces of Python that rule files parameterize.

Importing this package registers every check kind in REGISTRY.
"""

from . import changes, data, forecast, graph, items, ownership, people, reliability, services, teams  # noqa: F401,E402  (registration)
from .base import REGISTRY, CheckKind, Hit, Params, check  # noqa: F401
