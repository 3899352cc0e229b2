"""Supervisors' reads of credit data on datahub's own pages leave a call log, too (AUTH-6).

Operators and regulators open credit profiles and reveal sensitive values on ``/data/profiles/``
under their legal basis. Those reads must appear in the enterprise's "who used my data" like every
other read, but the call log belongs to consent, which sits above datahub: datahub may not import
it. So consent registers its logger here in its ``AppConfig.ready``:

    access.register_supervisor_read_logger(callback)

``callback(*, actor, uscc, elements, purpose)`` writes the call log and raises ``AccessDenied``
when the read is not allowed. Without a registered logger datahub fails closed: the page refuses
the read and shows no data.
"""

from collections.abc import Callable, Iterable

from django.utils.translation import gettext_lazy as _

from dfsp.core.errors import AccessDenied

Logger = Callable[..., object]
_LOGGER: list[Logger] = []  # at most one

NO_LOGGER = "datahub_read_log_unavailable"


def register_supervisor_read_logger(callback: Logger) -> None:
    _LOGGER[:] = [callback]


def unregister_supervisor_read_logger() -> None:
    _LOGGER.clear()


def supervisor_read_logger() -> Logger | None:
    return _LOGGER[0] if _LOGGER else None


def require_logger() -> Logger:
    """The registered logger; AccessDenied (fail closed) when there is none."""
    logger = supervisor_read_logger()
    if logger is None:
        raise AccessDenied(
            _("Credit data cannot be shown: reads cannot be logged at the moment."), code=NO_LOGGER
        )
    return logger


def log_supervisor_read(*, actor, uscc: str, elements: Iterable[str], purpose: str) -> None:
    """Log one supervisor read (before the data leaves); AccessDenied if it cannot be logged."""
    require_logger()(actor=actor, uscc=uscc, elements=[str(e) for e in elements], purpose=purpose)
