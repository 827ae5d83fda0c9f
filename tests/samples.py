"""Sample statements in a person's own voice, shared by the tests and the benchmarks."""

STATEMENTS = [
    "I make everyone laugh at breakfast with my terrible puns.",
    "I always remember your birthday and I ask after your children by name.",
    "I taught at the village school for thirty years, and former pupils still visit me.",
    "I can get any plant to grow, and I will tell you exactly how to look after yours.",
    "Singing along to Johnny Cash with my brother Dai on Sunday afternoons.",
    "A cup of tea with two sugars in my blue mug as soon as I wake up, before anything else.",
    "My daughter Ann visits on Tuesdays and Fridays; we look through the old photographs.",
    "Chapel on Sunday mornings, sitting near the back so I can leave quietly if I get tired.",
    "Please knock and wait for me to answer before you come into my room.",
    "I wear my hearing aid in my left ear only; the right one whistles and hurts.",
    "If I rub my forehead and go quiet, I am in pain: ask me where it hurts.",
    "Cut my food into small pieces and give me time: I eat slowly and like to finish.",
    "Talk to me about the farm where I grew up; it settles me in the evenings.",
    "I like to choose my own clothes: hold up two tops and let me point to one.",
    "I walk with my frame and need someone beside me on the stairs; never take my arm.",
]

# Key facts as a hospital passport and a staff profile carry them.
FACTS = {
    "hospital": [
        {"label": "NHS number", "value": "943 476 5919"},
        {"label": "Allergies", "value": "Penicillin: a rash and swelling"},
        {"label": "Next of kin", "value": "Ann Okafor (daughter), 07700 900123"},
        {"label": "GP", "value": "Dr Rees, Riverside Surgery"},
    ],
    "staff": [{"label": "Role", "value": "Senior support worker"}],
}


def generated(kind, per_section: int = 3, **fields) -> dict:
    """A profile of this kind (a profiles.kinds.Kind) in the file format, with per_section
    statements in each of its sections, and the key facts its kind usually has."""
    keys = kind.section_keys
    items = [STATEMENTS[i % len(STATEMENTS)] for i in range(len(keys) * per_section)]
    document = {
        "format": "one-page-profile",
        "version": 1,
        "kind": kind.key,
        "name": "Margaret Okafor",
        "preferred_name": "Peggy",
        "language": "en",
        "written_by": "Peggy, with her daughter Ann and her keyworker Sam",
        "sections": [
            {"key": key, "items": items[i * per_section : (i + 1) * per_section]}
            for i, key in enumerate(keys)
        ],
        "review_due": "2027-05-26",
        "layout": {"design": "classic", "paper": "A4"},
    }
    if kind.key in FACTS:
        document["facts"] = FACTS[kind.key]
    document.update(fields)
    return document
