"""Tables and constants of the synthetic-data generator (sources: see thuis.demo.seed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from thuis.accounts.choices import Role
from thuis.audit import events
from thuis.partners.choices import OrganisationKind

BY = "systeem:seed"
ACTIVITY = events.Activity.SEED
DEFAULT_SEED = 2016
DEFAULT_PERSONS = 250
DEFAULT_START_YEAR = 2016
# Wi2013 applies from 1 January 2013; a permit of late 2013 may lead to a 2014 koppeling.
EARLIEST_START_YEAR = 2014
WI2021_START = date(2022, 1, 1)

# --- Inflow ----------------------------------------------------------------------------------
# Persons per year for a Dalfsen-sized gemeente; `generate` spreads --persons over the years in
# proportion to these weights (the current year pro rata up to `today`).
# - 2016-2019: Dalfsen's taakstelling (domain doc §10: 2016: 71, 2017: 55, 2018: 40, 2019: 20).
# - Other years: national asylum permits (domain doc §9.4) x 1.89 persons per 1,000 permits,
#   which is Dalfsen's 2016-2019 taakstelling (186) over the permits of those years (98,500).
#   2014: 20k, 2015: 33k, 2020: 18k, 2021: 27.6k (sum of the country table), 2022: 40.1k (twice
#   the 2022-H1 country table: ASSUMPTION that H2 equalled H1).
# - 2023: 2022 x 22.2k/18.9k, the growth of the SWI asylum cohort (domain doc §9.2): ASSUMPTION,
#   the doc has no 2023 permit count. 2024 and later: ASSUMPTION, same as 2023 (no figures).
INFLOW_TABLE: dict[int, int] = {
    2014: 38,
    2015: 62,
    2016: 71,
    2017: 55,
    2018: 40,
    2019: 20,
    2020: 34,
    2021: 52,
    2022: 76,
    2023: 89,
}

# Asylum permits by nationality (x1000, in PERMIT_COUNTRIES order; domain doc §9.4, CBS
# 2023/15). 2022 is the first half year; years before 2016 use 2016 and years after 2022 use
# 2022 (ASSUMPTION).
PERMIT_COUNTRIES = ("SY", "ER", "AF", "IQ", "IR", "TR", "*")
PERMITS_BY_COUNTRY: dict[int, tuple[float, ...]] = {
    2016: (26.205, 5.065, 0.750, 1.330, 0.585, 0.020, 2.730),
    2017: (16.980, 4.980, 0.940, 1.310, 1.020, 0.375, 3.050),
    2018: (6.685, 4.135, 0.725, 0.525, 0.605, 0.425, 3.060),
    2019: (6.560, 3.605, 0.475, 0.350, 0.560, 1.075, 2.865),
    2020: (8.000, 2.755, 0.475, 0.480, 0.585, 1.830, 3.410),
    2021: (12.450, 2.195, 3.115, 0.620, 1.795, 2.065, 5.325),
    2022: (8.420, 0.820, 1.355, 0.290, 0.380, 1.905, 6.900),
}
# How "other" (*) splits: ASSUMPTION (the doc does not break it down); Yemen is named in the issue.
OTHER_ASYLUM_COUNTRIES: dict[str, float] = {"YE": 30, "SO": 25, "SD": 20, "ET": 15, "PS": 10}
# Gezinsmigranten (from 2022 only): ASSUMPTION, common origins of partners of residents.
FAMILY_MIGRANT_COUNTRIES: dict[str, float] = {
    "TR": 25,
    "MA": 20,
    "IN": 15,
    "PH": 10,
    "EG": 10,
    "DZ": 10,
    "CD": 10,
}

# Household kinds. Asylum weights are an ASSUMPTION calibrated so that about 60% of adult
# asielmigranten are men (domain doc §9.2). From 2022 a quarter of new households are
# gezinsmigranten (SWI 2022-2023: 28-39% of new plichtigen, domain doc §9.2).
SINGLE, COUPLE, FAMILY, SINGLE_PARENT, REUNIFICATION, FAMILY_MIGRANT = (
    "single",
    "couple",
    "family",
    "single_parent",
    "reunification",
    "family_migrant",
)
ASYLUM_HOUSEHOLDS: dict[str, float] = {
    SINGLE: 45,
    COUPLE: 10,
    FAMILY: 20,
    SINGLE_PARENT: 5,
    REUNIFICATION: 20,
}
FAMILY_MIGRANT_WEIGHT = 100 / 3  # 25% of all households
SINGLE_MEN_SHARE = 0.88
REFERENT_MEN_SHARE = 0.85
FAMILY_MIGRANT_WOMEN_SHARE = 0.68

# Where each case ends up (ASSUMPTION, in the spirit of the Divosa/CBS figures in §9).
VOLDAAN, VRIJGESTELD, ONTHEVEN, BEEINDIGD, RUNNING = (
    "voldaan",
    "vrijgesteld",
    "ontheven",
    "beeindigd",
    "running",
)
FATES: dict[str, float] = {VOLDAAN: 58, VRIJGESTELD: 10, ONTHEVEN: 9, BEEINDIGD: 15, RUNNING: 8}

# Spoken languages per country with a weight; the first language is the preferred one.
LANGUAGES_BY_COUNTRY: dict[str, list[tuple[float, tuple[str, ...]]]] = {
    "SY": [(0.85, ("ar",)), (0.15, ("ku", "ar"))],
    "ER": [(0.9, ("ti",)), (0.1, ("ti", "ar"))],
    "AF": [(0.65, ("prs",)), (0.35, ("ps", "prs"))],
    "TR": [(0.65, ("tr",)), (0.35, ("ku", "tr"))],
    "IQ": [(0.65, ("ar",)), (0.35, ("ku", "ar"))],
    "IR": [(0.85, ("fa",)), (0.15, ("ku", "fa"))],
    "YE": [(1.0, ("ar",))],
    "SO": [(1.0, ("so",))],
    "SD": [(1.0, ("ar",))],
    "ET": [(0.6, ("am",)), (0.4, ("ti", "am"))],
    "PS": [(1.0, ("ar",))],
    "MA": [(0.7, ("ar", "fr")), (0.3, ("ar",))],
    "DZ": [(1.0, ("ar", "fr"))],
    "EG": [(1.0, ("ar",))],
    "IN": [(1.0, ("en",))],
    "PH": [(1.0, ("en",))],
    "CD": [(1.0, ("fr",))],
}
# Children (and some adults) born on the way or in a neighbouring country.
TRANSIT_BIRTH_COUNTRIES: dict[str, tuple[str, ...]] = {
    "SY": ("LB", "JO", "TR"),
    "ER": ("ET", "SD"),
    "AF": ("IR", "PK"),
    "SO": ("ET",),
    "PS": ("SY", "LB"),
    "IQ": ("TR",),
}

# --- Names -----------------------------------------------------------------------------------
# The BRP registers names in Latin script, so Faker's Arabic-script (ar_*) and Persian-script
# (fa_IR) locales do not fit; those countries use romanised lists as registered in the
# Netherlands. Faker is used where its locale gives Latin script.
FAKER_LOCALES: dict[str, str] = {
    "TR": "tr_TR",
    "MA": "fr_DZ",
    "DZ": "fr_DZ",
    "IN": "en_IN",
    "CD": "fr_FR",
}
FAKER_FALLBACK = "en_US"


@dataclass(frozen=True)
class NamePool:
    men: tuple[str, ...]
    women: tuple[str, ...]
    families: tuple[str, ...]
    patronymic: bool = False  # the family name is the father's given name


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


ARABIC = NamePool(
    men=_words(
        "Mohammed Ahmad Omar Ali Khaled Hassan Hussein Mahmoud Mustafa Yusuf Ibrahim Abdullah "
        "Samer Rami Bashar Fadi Tarek Ammar Karim Nabil Walid Ziad Hamza Bilal Anas Majd Firas "
        "Jamal Saeed Yaser"
    ),
    women=_words(
        "Fatima Aisha Mariam Noor Rania Huda Amal Layla Salma Reem Hiba Dima Lina Rasha Sara "
        "Yasmin Zainab Hanan Maysa Ghada Samira Rawan Aya Shahd Batoul Nadia Suha Wafa Lama Ruba"
    ),
    families=_words(
        "Al-Ahmad Haddad Khalil Hamdan Darwish Al-Hassan Mansour Saleh Nasser Al-Khatib Othman "
        "Al-Ali Ibrahim Youssef Aziz Hamoud Al-Masri Kanaan Sabbagh Al-Obaidi Jaber Qasim "
        "Al-Saadi Shami Issa Haidar Zaher Bakri Rahal Al-Hakim"
    ),
)
PERSIAN = NamePool(
    men=_words(
        "Reza Mohammad Ali Hossein Mehdi Amir Hamid Saeed Farhad Behnam Dariush Kaveh Arash "
        "Navid Omid Babak Pouya Javad Majid Siamak"
    ),
    women=_words(
        "Maryam Zahra Fatemeh Sara Narges Leila Mina Shirin Parisa Nasrin Roya Azadeh Samira "
        "Elham Neda Soraya Fereshteh Mahsa Niloufar Yasaman"
    ),
    families=_words(
        "Hosseini Mohammadi Rezaei Ahmadi Karimi Moradi Jafari Rahimi Hashemi Sadeghi Ghorbani "
        "Kazemi Azizi Najafi Mousavi Ebrahimi Amini Shirazi Tehrani Farahani"
    ),
)
AFGHAN = NamePool(
    men=_words(
        "Ahmad Mohammad Abdul Rahim Karim Nasir Farid Zabihullah Shafiq Habib Wahid Jawad "
        "Sohrab Hamid Mustafa Bashir Naweed Samiullah Khalid Ajmal"
    ),
    women=_words(
        "Fatima Zahra Mariam Nazanin Farzana Shabnam Marzia Parwana Nargis Freshta Mursal Sakina "
        "Laila Gulalai Mahbooba Shukria Zarghuna Homa Tahmina Wahida"
    ),
    families=_words(
        "Ahmadi Hakimi Rahimi Noori Sultani Popal Durrani Wardak Stanikzai Karimi Hashimi Amiri "
        "Sadat Safi Mohammadi Rezaie Haidari Azizi Jalali Nazari"
    ),
)
TIGRINYA = NamePool(
    men=_words(
        "Tesfay Yonas Dawit Filmon Samuel Mehari Kidane Berhane Habtom Tekle Yohannes Mulugeta "
        "Amanuel Biniam Merhawi Goitom Henok Robel Semere Tesfalem Abraham Efrem"
    ),
    women=_words(
        "Helen Senait Selam Mebrat Tsega Freweini Lidya Winta Saba Rahel Yordanos Hiwet Abrehet "
        "Luwam Mizan Feven Ruta Eden Semhar Simret"
    ),
    families=_words(
        "Gebremedhin Gebre Haile Tewelde Woldu Asmerom Negash Kahsay Berhe Gebreyesus "
        "Andemariam Tesfamariam Ghebrehiwet Mehari Kidane Habtemariam Zerai Okbay"
    ),
    patronymic=True,
)
AMHARIC = NamePool(
    men=_words("Abebe Tesfaye Getachew Solomon Dawit Mesfin Yared Bereket Tewodros Kebede"),
    women=_words("Almaz Tigist Meron Hirut Selamawit Bethlehem Genet Mekdes Tsion Meseret"),
    families=_words("Bekele Girma Tadesse Alemu Wolde Haile Mengistu Desta Lemma Ayele"),
    patronymic=True,
)
SOMALI = NamePool(
    men=_words(
        "Abdirahman Mohamed Abdullahi Ahmed Hassan Ali Omar Yusuf Abdikarim Mahad Liban Farah "
        "Guled Bashir Ismail"
    ),
    women=_words(
        "Hodan Fadumo Amina Sahra Hawa Asha Ifrah Nimco Ayaan Ubah Sagal Khadra Deeqa Idil Hamdi"
    ),
    families=_words("Warsame Abdi Jama Elmi Nur Osman Hersi Dirie Mohamud Egal Farah Yusuf"),
    patronymic=True,
)
NAME_POOLS: dict[str, NamePool] = {
    "SY": ARABIC,
    "IQ": ARABIC,
    "YE": ARABIC,
    "SD": ARABIC,
    "PS": ARABIC,
    "EG": ARABIC,
    "IR": PERSIAN,
    "AF": AFGHAN,
    "ER": TIGRINYA,
    "ET": AMHARIC,
    "SO": SOMALI,
}

# --- Municipalities --------------------------------------------------------------------------
# Dalfsen inhabitants (domain doc §10): 1-1-2014, 1-1-2018 (sum of kernen), 1-1-2019, Jan 2021,
# 1-1-2024. Other years are interpolated linearly; later years repeat 2024.
KNOWN_POPULATIONS: dict[str, dict[int, int]] = {
    "0148": {2014: 27_672, 2018: 28_242, 2019: 28_499, 2021: 28_901, 2024: 29_684},
}
KNOWN_NAMES: dict[str, str] = {"0148": "Dalfsen", "0193": "Zwolle"}
# For other gemeenten the inhabitants are SYNTHETIC: chosen so that the generated yearly inflow
# per inhabitant equals Dalfsen's (taakstelling 2016-2019, 46.5 a year, on ~28,300 inhabitants).
DALFSEN_INFLOW_PER_INHABITANT = 46.5 / 28_300

# --- Demo ------------------------------------------------------------------------------------
DEMO_CODE, DEMO_NAME = "0148", "Dalfsen (demo)"
DEMO_OTHER_CODE, DEMO_OTHER_NAME = "0193", "Zwolle (demo)"
DEMO_OTHER_PERSONS = 20
DEMO_OTHER_YEARS = 3  # few persons over few years, so that families still fit in a year
DEMO_TEAM = "Team Inburgering"
DEMO_PASSWORD = "Thuis-demo-2026!"  # noqa: S105 - published demo password, demo data only
DEMO_URL = "http://127.0.0.1:8000/"
DEMO_MB = "VluchtelingenWerk (demo)"
DEMO_ORGANISATIONS: tuple[tuple[str, str], ...] = (
    (DEMO_MB, OrganisationKind.MAATSCHAPPELIJKE_BEGELEIDING),
    ("Taalschool Vecht (demo)", OrganisationKind.TAALAANBIEDER),
    ("Welkom in Dalfsen (demo)", OrganisationKind.VRIJWILLIGERS),
    ("Werkgever Dalfsen (demo)", OrganisationKind.WERKGEVER),
)


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    first_name: str
    last_name: str
    municipality: str = DEMO_CODE
    in_team: bool = False
    organisation: str = ""


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("regisseur", Role.REGISSEUR, "Sanne", "Jansen", in_team=True),
    DemoUser("regisseur2", Role.REGISSEUR, "Pieter", "Bosch", in_team=True),
    DemoUser("teamleider", Role.TEAMLEIDER, "Marieke", "Kamphuis", in_team=True),
    DemoUser("beleid", Role.BELEIDSMEDEWERKER, "Joost", "Hendriks"),
    DemoUser("partner", Role.PARTNER, "Els", "Wolters", organisation=DEMO_MB),
    DemoUser("beheerder", Role.BEHEERDER, "Ruud", "Kok"),
    DemoUser("regisseur_zwolle", Role.REGISSEUR, "Lotte", "Visser", DEMO_OTHER_CODE, True),
)
