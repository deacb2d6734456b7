"""Demo policy: the plan van aanpak 'Thuis in Dalfsen' and the texts of its evaluation.

Sources: the raadsvoorstel "Evaluatie en doorontwikkeling 'Thuis in Dalfsen'" of the gemeente
Dalfsen (structure, texts, themes) and the plan van aanpak "Thuis in Dalfsen" (adopted
18 April 2017; goal "75% of the vergunninghouders participates half a year after settling").
Actions, owners, dates and the other targets are invented for the demo and marked "(demo)".
`seed_policy_demo` writes them through the policy services.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from thuis.partners import selectors as partner_selectors
from thuis.people.models import Municipality
from thuis.policy import selectors as policy_selectors
from thuis.policy import services as policy_services
from thuis.policy.models import Action, AttentionPoint, Goal, Plan, Theme

BY = "systeem:seed"

PLAN_TITLE = "Thuis in Dalfsen"
ADOPTED_ON = date(2017, 4, 18)
VISION = (
    "Goede randvoorwaarden, zodat vergunninghouders zo snel en zo goed mogelijk integreren en "
    "naar vermogen meedoen in de samenleving. Voorafgegaan door brainstormbijeenkomsten in "
    "Nieuwleusen, Dalfsen en Lemelerveld (oktober tot december 2016)."
)
MB = "VluchtelingenWerk (demo)"
TAAL = "Taalschool Vecht (demo)"
WELKOM = "Welkom in Dalfsen (demo)"
WERKGEVER = "Werkgever Dalfsen (demo)"

THEMES: tuple[dict[str, Any], ...] = (
    {
        "title": "Taal",
        "description": "Het taalniveau na de inburgering is vaak nog te laag om echt mee te doen.",
        "goals": [],
        "actions": [
            {
                "title": "Taalmaatje voor elke nieuwe statushouder (demo)",
                "owner": WELKOM,
                "status": "done",
                "planned_start": date(2017, 6, 1),
                "planned_end": date(2018, 12, 31),
                "actual_start": date(2017, 9, 1),
                "actual_end": date(2019, 3, 31),
                "evidence": "Koppelingen gemaakt; vrijwilligers getraind (demo).",
            },
            {
                "title": "Extra lesuren Nederlands na de inburgering (demo)",
                "owner": TAAL,
                "status": "running",
                "planned_start": date(2019, 1, 1),
                "actual_start": date(2019, 2, 1),
            },
        ],
    },
    {
        "title": "Werk en participatie",
        "description": "Statushouders doen naar vermogen mee: betaald werk, een werkstage of "
        "vrijwilligerswerk, naast de inburgering.",
        "goals": [
            {
                "description": "75% participeert een half jaar na vestiging",
                "indicator_code": "PARTICIPATIE_6M_VESTIGING",
                "comparison": "gte",
                "target_value": Decimal("75"),
            },
        ],
        "actions": [
            {
                "title": "Werkstages bij lokale werkgevers (demo)",
                "owner": WERKGEVER,
                "status": "running",
                "planned_start": date(2017, 9, 1),
                "actual_start": date(2017, 10, 1),
            },
            {
                "title": "Intensieve begeleiding naar werk door de gemeente (demo)",
                "status": "done",
                "planned_start": date(2017, 6, 1),
                "planned_end": date(2019, 12, 31),
                "actual_start": date(2017, 6, 1),
                "actual_end": date(2019, 12, 31),
                "evidence": "Klantmanager per statushouder (demo).",
            },
        ],
    },
    {
        "title": "Sociale netwerken en welkom voelen",
        "description": "De meeste statushouders voelen zich welkom; veel van hen hebben nog geen "
        "steunend sociaal netwerk.",
        "goals": [
            {
                "description": "Minstens 75% voelt zich welkom (demo)",
                "indicator_code": "ENQUETE_WELKOM",
                "comparison": "gte",
                "target_value": Decimal("75"),
            },
        ],
        "actions": [
            {
                "title": "Brainstormbijeenkomsten in drie kernen",
                "status": "done",
                "planned_start": date(2016, 10, 15),
                "planned_end": date(2016, 12, 10),
                "actual_start": date(2016, 10, 25),
                "actual_end": date(2016, 12, 6),
                "evidence": "Bijeenkomsten in Nieuwleusen, Dalfsen en Lemelerveld, met een film "
                "over de verhalen van vergunninghouders.",
            },
            {
                "title": "Welkomstmaatjes via kerken en verenigingen (demo)",
                "owner": WELKOM,
                "status": "running",
                "planned_start": date(2018, 1, 1),
                "actual_start": date(2018, 3, 1),
            },
        ],
    },
    {
        "title": "Vrouwen",
        "description": "Vrouwelijke statushouders blijven achter als het gaat om participatie "
        "en werk.",
        "goals": [],
        "actions": [
            {
                "title": "Vrouwengroep met kinderopvang (demo)",
                "owner": MB,
                "status": "planned",
                "planned_start": date(2020, 9, 1),
            },
        ],
    },
    {
        "title": "Vrijwilligers en professionals",
        "description": "Veel statushouders blijven afhankelijk van vrijwilligers of professionals.",
        "goals": [],
        "actions": [
            {
                "title": "Werving en training van vrijwilligers (demo)",
                "owner": MB,
                "status": "done",
                "planned_start": date(2017, 5, 1),
                "planned_end": date(2018, 6, 30),
                "actual_start": date(2017, 5, 1),
                "actual_end": date(2018, 9, 30),
                "evidence": "Twee trainingsrondes (demo).",
            },
        ],
    },
    {
        "title": "Regierol Wet inburgering 2021",
        "description": "Vanaf de nieuwe wet voert de gemeente de regie: brede intake, PIP, "
        "leerroutes en ontzorgen.",
        "goals": [
            {
                "description": "Minstens 90% is gestart met de brede intake (demo)",
                "indicator_code": "INTAKE_GESTART",
                "comparison": "gte",
                "target_value": Decimal("90"),
            },
        ],
        "actions": [
            {
                "title": "Brede intake en PIP inrichten (demo)",
                "status": "done",
                "planned_start": date(2020, 6, 1),
                "planned_end": date(2021, 12, 31),
                "actual_start": date(2020, 9, 1),
                "actual_end": date(2021, 12, 15),
                "evidence": "Werkproces en Thuis in gebruik vanaf 1 januari 2022 (demo).",
            },
        ],
    },
    {
        "title": "Financiën",
        "description": "Vanaf 2021 zijn de financiën onzeker.",
        "goals": [],
        "actions": [
            {
                "title": "Begroting en rijksmiddelen inburgering bewaken (demo)",
                "status": "running",
                "planned_start": date(2020, 1, 1),
                "actual_start": date(2020, 1, 1),
            },
        ],
    },
)

REPORT_TEXTS: dict[str, str] = {
    "doel": "Kennis te nemen van de ‘Evaluatie en doorontwikkeling ‘Thuis in Dalfsen’ en het "
    "advies van de participatieraad.",
    "inleiding": (
        "In 2017 heeft uw raad het plan van aanpak ‘Thuis in Dalfsen’ vastgesteld. In de "
        "afgelopen jaren zijn wij, samen met de maatschappelijke organisaties, aan het werk "
        "gegaan om uitvoering te geven aan het plan van aanpak. Daarnaast zijn er landelijk ook "
        "belangrijke ontwikkelingen geweest, zoals de nieuwe Wet inburgering. Het is tijd om "
        "terug te blikken op de afgelopen jaren maar ook alvast vooruit te kijken naar de "
        "impact die de nieuwe wet op onze aanpak heeft. Dit alles staat beschreven in de "
        "‘Evaluatie en doorontwikkeling Thuis in Dalfsen’, die als bijlage 1 bij dit voorstel "
        "is gevoegd. Daarnaast heeft ook de Participatieraad advies uitgebracht over de "
        "evaluatie (bijlage 2), waarbij wij een voorstel hebben gedaan voor een reactie op dit "
        "advies (bijlage 3)."
    ),
    "kernboodschap": (
        "Opbouw van de ‘Evaluatie en doorontwikkeling Thuis in Dalfsen’\n"
        "De evaluatie is tot stand gekomen door terug te blikken op de uitgevoerde acties, door "
        "met statushouders, organisaties en de participatieraad in gesprek te gaan, door "
        "onderzoek en door een analyse te maken van de beschikbare cijfers. Verder hebben we de "
        "ontwikkelingen benoemd in het kader van de nieuwe inburgeringswet en een aantal "
        "aandachtspunten voor de toekomst geformuleerd.\n\n"
        "Visie past nog steeds, wel aandachtspunten voor de uitvoering\n"
        "Er gaan veel dingen goed als het gaat om de aanpak van integratie en participatie van "
        "statushouders in Dalfsen. Er zijn ook nog voldoende aandachtspunten: de taal, vrouwen "
        "die achterblijven bij participatie en werk, en statushouders die nog geen steunend "
        "sociaal netwerk hebben en afhankelijk blijven van vrijwilligers of professionals.\n\n"
        "Financiën onzeker\n"
        "Omdat er nog geen duidelijkheid is over de financiële middelen die in het kader van de "
        "wet inburgering naar de gemeente komen, is het nog niet zeker of we alle "
        "aandachtspunten kunnen oppakken. Mocht dit niet het geval zijn, dan komen we hier bij "
        "uw raad op terug."
    ),
    "duurzaamheid": "Niet van toepassing",
    "communicatie": "De evaluatie wordt na bespreking in uw commissie verspreid onder onze "
    "samenwerkingspartners.",
    "vervolg": "We houden u op de hoogte van de voortgang in de uitvoering via de gebruikelijke "
    "rapportages en via het RIS over relevante ontwikkelingen in het kader van de nieuwe wet "
    "inburgering.",
    "developments": (
        "De Wet inburgering 2021 is op 1 januari 2022 in werking getreden. De gemeente krijgt de "
        "regie: zij doet de brede intake, stelt binnen tien weken het persoonlijk plan "
        "inburgering en participatie (PIP) vast, kiest met de inburgeraar een leerroute "
        "(B1-route, onderwijsroute of Z-route) en ontzorgt asielstatushouders met bijstand in "
        "de eerste zes maanden."
    ),
    "next_steps": (
        "We pakken de aandachtspunten op binnen de regierol van de nieuwe wet. We blijven "
        "meten met dezelfde indicatoren en rapporteren jaarlijks aan de raad."
    ),
    "burgemeester": "drs. E. van Lente",
    "secretaris": "drs. J.H.J. Berends",
    "secretaris_title": "de gemeentesecretaris-alg.directeur",
}

ATTENTION_POINTS: tuple[dict[str, Any], ...] = (
    {
        "title": "Tevredenheid over de inburgering en het taalniveau",
        "text": "Er is ontevredenheid over de inburgering, en het taalniveau van veel "
        "statushouders is na de inburgering vaak nog onvoldoende om echt mee te kunnen doen.",
        "evidence": "Gesprekken met statushouders, organisaties en de participatieraad.",
    },
)


@transaction.atomic
def seed_policy_demo(municipality: Municipality, *, today: date | None = None) -> Plan:
    """The Dalfsen plan 'Thuis in Dalfsen' (adopted 18 April 2017) with its themes, goals and
    actions, and an evaluation report with the raadsvoorstel's texts. Idempotent."""
    today = today or timezone.localdate()
    plan = policy_selectors.plan_by_title(municipality=municipality, title=PLAN_TITLE)
    if plan is not None:
        return plan
    plan = policy_services.plan_save(
        plan=Plan(
            municipality=municipality, title=PLAN_TITLE, adopted_on=ADOPTED_ON, vision=VISION
        ),
        by=BY,
    )
    organisations = partner_selectors.organisations_by_name()
    for order, spec in enumerate(THEMES, start=1):
        theme = policy_services.theme_save(
            theme=Theme(
                plan=plan, order=order, title=spec["title"], description=spec["description"]
            ),
            by=BY,
        )
        for goal in spec.get("goals", ()):
            policy_services.goal_save(goal=Goal(theme=theme, **goal), by=BY)
        for action in spec.get("actions", ()):
            values = dict(action)
            owner = organisations.get(str(values.pop("owner", "")))
            policy_services.action_save(
                action=Action(theme=theme, owner=owner, **values), by=BY, today=today
            )
    report = policy_services.report_create(
        municipality=municipality, by=BY, peildatum=today, plan=plan
    )
    for field, value in REPORT_TEXTS.items():
        setattr(report, field, value)
    policy_services.report_save(report=report, by=BY)
    for order, point in enumerate(ATTENTION_POINTS, start=1):
        policy_services.attention_point_save(
            point=AttentionPoint(report=report, order=order, **point), by=BY
        )
    return plan
