# The English UI keeps the office's dd/mm/yyyy dates so both languages read the same records.
from config.formats.vi.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
