"""Models built from ``nn``'s modules: :class:`GPT`, and the bigram baseline it should beat.

``GPT`` and the training helpers live in :mod:`nn.models.gpt`, which is imported
the first time ``nn.models.GPT`` is used rather than with this package, so that
``python -m nn.models.gpt`` runs that file once, as a script, and not a second
time as a module (Python warns about that).

Examples:
    >>> from nn.models import GPT
    >>> GPT(vocab_size=27, seed=0).n_embd
    16
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .bigram import bigram_loss

if TYPE_CHECKING:
    from .gpt import GPT

__all__ = ["GPT", "bigram_loss"]


def __getattr__(name: str) -> Any:
    """Import :mod:`nn.models.gpt` on first use of ``GPT``."""
    if name == "GPT":
        from .gpt import GPT

        return GPT
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
