"""The usual kostnadsslag, as the data migration creates them."""

CATEGORIES = [
    ("Personal", True),
    ("Lokaler", False),
    ("Externa tjänster", False),
    ("Kompetensutveckling", False),
    ("Resor", False),
    ("Information och möten", False),
    ("Utvärdering", False),
    ("Övrigt", False),
]
