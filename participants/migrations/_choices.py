"""The choice lists a förbund starts with, as first data. The förbund may change them."""

INCOME_SOURCES = [
    ("sjukpenning", "Sjukpenning inkl. rehabiliteringspenning"),
    ("aktivitetsersattning", "Aktivitetsersättning"),
    ("sjukersattning", "Sjukersättning"),
    ("a-kassa", "A-kassa"),
    ("aktivitetsstod", "Aktivitetsstöd/utvecklingsersättning"),
    ("etableringsersattning", "Etableringsersättning"),
    ("forsorjningsstod", "Försörjningsstöd"),
    ("lon", "Lön/egen försörjning"),
    ("ingen", "Ingen offentlig försörjning"),
    ("annan", "Annan"),
]
OCCUPATIONS = [
    ("arbete", "Arbete", "forvarvsarbete"),
    ("studier", "Studier", "studier"),
    ("arbetssokande", "Aktivt arbetssökande", "arbetssokande"),
    ("ovrigt", "Övrigt", "ovriga"),
]
EDUCATION_LEVELS = [
    ("forgymnasial", "Förgymnasial (grundskola eller kortare)"),
    ("gymnasial", "Gymnasial"),
    ("eftergymnasial", "Eftergymnasial"),
    ("okand", "Okänd"),
]
EXIT_REASONS = [
    ("enligt-plan", "Enligt plan"),
    ("avbrott-eget", "Avbrott på eget initiativ"),
    ("avbrott-annan", "Avbrott av annan orsak"),
    ("aterkallat-samtycke", "Återkallat samtycke"),
    ("felregistrering", "Felregistrering"),
]
REFERRERS = [
    ("arbetsformedlingen", "Arbetsförmedlingen"),
    ("forsakringskassan", "Försäkringskassan"),
    ("socialtjansten", "Kommunens socialtjänst"),
    ("arbetsmarknadsenheten", "Kommunens arbetsmarknadsenhet"),
    ("halso-och-sjukvard", "Hälso- och sjukvården"),
    ("egen", "Egen anmälan"),
    ("annan", "Annan"),
]
JOBLESS_BANDS = [
    ("under-6-man", "Mindre än 6 månader"),
    ("6-12-man", "6–12 månader"),
    ("1-2-ar", "1–2 år"),
    ("2-5-ar", "2–5 år"),
    ("over-5-ar", "Mer än 5 år"),
    ("aldrig", "Har aldrig arbetat"),
    ("okand", "Okänd"),
]
STATUS_KINDS = [
    ("kartlaggning-paborjad", "Kartläggning påbörjad"),
    ("kartlaggning-klar", "Kartläggning klar"),
    ("handlingsplan", "Handlingsplan upprättad"),
    ("arbetstraning", "Arbetsträning"),
    ("arbetsprovning", "Arbetsprövning"),
    ("praktik", "Praktik"),
    ("studier", "Studier"),
    ("arbete-deltid", "Arbete deltid"),
    ("arbete-heltid", "Arbete heltid"),
    ("paus", "Paus"),
]


def create_all(get_model) -> None:
    """Create the entries that are missing. ``get_model("participants", name)``
    is a migration's ``apps.get_model`` or, in tests, the app registry's."""
    lists = [
        ("IncomeSource", INCOME_SOURCES),
        ("EducationLevel", EDUCATION_LEVELS),
        ("ExitReason", EXIT_REASONS),
        ("Referrer", REFERRERS),
        ("JoblessBand", JOBLESS_BANDS),
        ("StatusKind", STATUS_KINDS),
    ]
    for model_name, entries in lists:
        model = get_model("participants", model_name)
        for order, (code, label) in enumerate(entries, start=1):
            model.objects.get_or_create(code=code, defaults={"label": label, "order": order * 10})
    occupation = get_model("participants", "Occupation")
    for order, (code, label, group) in enumerate(OCCUPATIONS, start=1):
        occupation.objects.get_or_create(
            code=code, defaults={"label": label, "order": order * 10, "sus_group": group}
        )
