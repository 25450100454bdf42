"""What a user of the hosted page may see of a message: no path of the server.

The command line's messages name files and folders for a planner at their own machine;
on a shared server the same message must not show where the server keeps its files.
:func:`public` replaces every absolute path (and ``file://`` address) by ``…``, keeping
the rest of the sentence (the key and what is allowed).
"""
from __future__ import annotations

import re

# an absolute path or a file:// address, up to a space, a quote, a comma or a bracket
_PATH = re.compile(r"(?<![\w.~])(?:file://)?(?:[A-Za-z]:)?[\\/](?:[^\s'\"`,;()\[\]{}<>]*[\\/])*[^\s'\"`,;()\[\]{}<>]*")
_WORKSHOP = re.compile(r"outputs[\\/]workshop[\\/][^\s'\"`,;()\[\]{}<>]*")


def public(message: str) -> str:
    """``message`` without the server's paths (absolute ones and the workshop's folders)."""
    return _WORKSHOP.sub("…", _PATH.sub("…", str(message)))
