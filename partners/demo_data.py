"""The demo's story as data: its partners, products, customers and sources, the candidates whose
owners ask for approval, and what each tier gives (``partners.demo`` seeds them)."""

from partners.choices import Source, Stage

# name, region, country, stage, strength 0-1 (drives sales, deals, visits)
PARTNERS = {
    "acme": [
        ("Nordwind Systems", "North", "DE", Stage.CERTIFIED, 0.95),
        ("Lusitania Automação", "South", "PT", Stage.SIGNED, 0.7),
        ("Rhône Intégration", "West", "FR", Stage.CERTIFIED, 0.55),
        ("Adriatica Robotica", "South", "IT", Stage.SIGNED, 0.35),
        ("Iberia Control", "South", "ES", Stage.STRATEGIC, 0.5),
        ("Baltic Motion", "North", "LT", Stage.SELECTION, 0.3),
        ("Danube Drives", "East", "AT", Stage.FIRST_TALKS, 0.2),
        ("Vistula Automatyka", "East", "PL", Stage.PROSPECTING, 0.1),
        ("Fjord Industri", "North", "NO", Stage.DORMANT, 0.15),
        ("Atlas Machines", "West", "BE", Stage.LOST, 0.1),
        ("Helvetia Präzision", "West", "CH", Stage.SIGNED, 0.8),
        ("Tagus Engenharia", "South", "PT", Stage.FIRST_TALKS, 0.25),
    ],
    "globex": [
        ("Pacific Cloud Partners", "West", "US", Stage.CERTIFIED, 0.9),
        ("Maple Data", "North", "CA", Stage.SIGNED, 0.6),
        ("Andes Software", "South", "BR", Stage.SIGNED, 0.45),
        ("Shenzhen Link", "APAC", "CN", Stage.STRATEGIC, 0.5),
        ("Lone Star Integrators", "South", "US", Stage.SELECTION, 0.3),
        ("Great Lakes IT", "North", "US", Stage.FIRST_TALKS, 0.2),
        ("Pampas Sistemas", "South", "AR", Stage.PROSPECTING, 0.1),
        ("Sakura Solutions", "APAC", "JP", Stage.DORMANT, 0.2),
    ],
}
PRODUCTS = {
    "acme": ["RX-200 arm", "RX-400 arm", "Vision kit", "Service plan"],
    "globex": ["Globex Cloud", "Globex Analytics", "Support plus", "Training pack"],
}
CUSTOMERS = [
    "Contoso",
    "Fabrikam GmbH",
    "Northwind Traders",
    "Tailspin S.A.",
    "Wingtip Ltda",
    "Litware Inc",
    "Proseware",
    "Adatum Corp",
    "Woodgrove Bank",
    "Coho Winery",
    "Alpine Ski House",
    "Fourth Coffee",
]
SOURCES = [
    Source.TRADE_SHOW,
    Source.REFERRAL,
    Source.INBOUND,
    Source.COMPETITOR_EVENT,
    Source.TENDER_SEARCH,
    Source.COLD_CANVASS,
]


APPROVAL_REQUESTS = {
    "acme": [
        ("Baltic Motion", "Two reference sites visited in Vilnius; they will drop their KUKA line to sign."),
        ("Danube Drives", "Keen after the Linz trade fair; the owner wants to sign before the summer."),
    ],
    "globex": [
        ("Lone Star Integrators", "Selection done: strong customer base in Texas, pays on time."),
        ("Great Lakes IT", "Asked for a quick decision; a competitor made them an offer."),
    ],
}


BENEFITS = [  # (tier, kind, value, description)
    ("A", "margin_points", "6", "6 extra margin points on the whole range"),
    ("A", "mdf_share", "3", "MDF budget of 3% of last quarter's revenue"),
    ("A", "support", "4", "A named support engineer, answers within 4 hours"),
    ("A", "lead_priority", "4", "First choice of the leads in your region"),
    ("A", "event_seats", "4", "Four seats at the partner summit"),
    ("B", "margin_points", "4", "4 extra margin points on the whole range"),
    ("B", "mdf_share", "2", "MDF budget of 2% of last quarter's revenue"),
    ("B", "support", "8", "Priority support, answers within 8 hours"),
    ("B", "lead_priority", "3", "Leads in your region after tier A"),
    ("C", "margin_points", "2", "2 extra margin points"),
    ("C", "support", "24", "Support answers within a working day"),
    ("C", "lead_priority", "2", "Leads when A and B partners are full"),
    ("D", "support", "48", "Support answers within two working days"),
    ("D", "training_seats", "2", "Two seats in the sales training"),
]
