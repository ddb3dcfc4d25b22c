"""The ``by`` grouping shared by the contact-level VOC reports (repeats, the support funnel).

Both reports group contacts the same way and reject the same unknown values; one mapping keeps the
CLI's ``--by`` choices and the frames' key columns identical between them.
"""

from __future__ import annotations

from ops.errors import CcopsError

# by -> key columns of the result (``tag`` groups by the level-1 tag and its English label).
CONTACT_GROUP_KEYS: dict[str | None, list[str]] = {
    None: [],
    "channel": ["channel"],
    "center": ["center_id"],
    "tag": ["level1", "level1_en"],
    "segment": ["segment"],
}


def contact_group_keys(by: str | None) -> list[str]:
    """Key columns for ``by`` (None = one overall row); CcopsError for an unknown ``by``."""
    keys = CONTACT_GROUP_KEYS.get(by)
    if keys is None:
        raise CcopsError(f"by must be channel, center, tag or segment, got {by!r}")
    return list(keys)
