"""A synthetic copy of the aggregator the `withmira` spider reads (served by `bench/serve.py`).

`generate_site(root, count)` writes `count` role pages (`jobs/<slug>/index.html`) in the
aggregator's template (as in `tests/fixtures/withmira/`) plus listing pages
(`remote-jobs/index.html`, `remote-jobs/page/N/index.html`) chained by `rel="next"`. Pages vary
the way real ones do: titles, companies, country and region chips, salaries in several currencies
and periods, posted texts, 3–8 bullets per section, some hybrid / on-site roles. The same seed
gives the same site.
"""

from __future__ import annotations

import html
import random
import re
from dataclasses import dataclass
from pathlib import Path

LISTING_PATH = "/remote-jobs/"
CARDS_PER_PAGE = 50

_SENIORITY = ("Junior", "Mid-level", "Senior", "Senior", "Staff", "Principal", "Lead", "")
_ROLES = (
    ("Backend Engineer", "Engineering", ("Python", "Go", "PostgreSQL", "Kafka", "Redis", "AWS")),
    ("Frontend Engineer", "Engineering", ("TypeScript", "React", "CSS", "GraphQL", "Vite")),
    ("Full Stack Developer", "Engineering", ("Ruby", "Rails", "React", "PostgreSQL", "Docker")),
    ("Data Engineer", "Data", ("Python", "Spark", "Airflow", "dbt", "Snowflake", "BigQuery")),
    ("Data Scientist", "Data", ("Python", "SQL", "PyTorch", "pandas", "Statistics")),
    ("Machine Learning Engineer", "Engineering", ("PyTorch", "Ray", "Kubernetes", "CUDA")),
    ("Site Reliability Engineer", "DevOps", ("Kubernetes", "Terraform", "Prometheus", "GCP")),
    ("Product Designer", "Design", ("Figma", "Prototyping", "User research", "Design systems")),
    ("Product Manager", "Product", ("Roadmapping", "Analytics", "Jira", "SQL")),
    ("Customer Success Manager", "Customer Support", ("Zendesk", "Salesforce", "Onboarding")),
    ("Account Executive", "Sales", ("Salesforce", "HubSpot", "SaaS sales", "Negotiation")),
    ("Technical Writer", "Writing", ("Markdown", "Docs-as-code", "APIs", "Git")),
    ("Security Engineer", "Security", ("AppSec", "Threat modeling", "AWS", "SIEM")),
    ("iOS Engineer", "Engineering", ("Swift", "SwiftUI", "Xcode", "Combine")),
    ("Android Engineer", "Engineering", ("Kotlin", "Jetpack Compose", "Gradle")),
    ("QA Automation Engineer", "QA", ("Playwright", "Cypress", "Python", "CI/CD")),
)
_QUALIFIERS = ("", "", "", " (Python)", " (Payments)", " (Platform)", ", Growth", " - Contract")
_COMPANIES = (
    "Northwind Analytics",
    "Contoso Cloud",
    "Fabrikam Health",
    "Tailspin Mobility",
    "Litware Labs",
    "Adventure Works",
    "Proseware",
    "Wingtip Systems",
    "Blue Yonder Air",
    "Coho Vineyard Tech",
    "Lamna Payments",
    "Margie's Travel",
    "Trey Research",
    "Woodgrove Bank",
    "Alpine Ski House",
    "Humongous Insurance",
    "Datum Corporation",
    "Relecloud",
    "Fourth Coffee",
    "VanArsdel",
    "Graphic Design Institute",
    "Southridge Video",
    "Nod Publishers",
    "Wide World Importers",
)
# (chips, timezone note or None). Region chips are words the normalizer must expand, not copy.
_LOCATIONS = (
    (("USA",), None),
    (("USA",), "Candidates must be based between UTC-8 and UTC-5."),
    (("Canada", "Mexico", "USA"), "Candidates must be based between UTC-8 and UTC-5."),
    (("United Kingdom", "Ireland"), None),
    (("Germany", "Austria", "Switzerland"), "Overlap with CET business hours is required."),
    (("Europe",), "Working hours within UTC-1 to UTC+3."),
    (("EMEA",), None),
    (("LATAM",), "Candidates should work in UTC-6 to UTC-3."),
    (("Brazil", "Argentina", "Colombia", "Mexico"), None),
    (("APAC",), None),
    (("India",), "IST (UTC+5:30) working hours."),
    (("Worldwide",), None),
    (("North America", "Europe"), None),
    (("Spain", "Portugal", "France", "Italy", "Netherlands", "Poland"), None),
    (("Australia", "New Zealand"), None),
)
_SALARIES = (
    "$150,000 – $180,000 USD per year",
    "$90,000 – $120,000 per year",
    "€60,000 – €75,000 per year",
    "£45 – £60 per hour",
    "CA$120,000 – CA$140,000 per year",
    "$8,000 – $10,000 USD per month",
    "Up to $95 per hour",
    "₹2,400,000 – ₹3,000,000 per year",
    "",
    "",
)
_EMPLOYMENT = ("Full-time", "Full-time", "Full-time", "Contract", "Part-time", "")
_SETTINGS = ("Remote",) * 7 + ("Hybrid", "On-site")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_DO_VERBS = ("Design", "Build", "Own", "Operate", "Improve", "Ship", "Lead", "Review", "Scale")
_DO_OBJECTS = (
    "the ingestion services that move billions of events a day into our warehouse",
    "customer-facing APIs, including on-call in a follow-the-sun rotation",
    "the onboarding flow used by every new customer",
    "experiments that measure how changes affect retention",
    "internal tooling that the support team relies on",
    "the design system shared by web and mobile",
    "our billing and invoicing pipeline",
    "dashboards and alerts for the services you run",
    "the roadmap together with product and design",
)
_DO_TAILS = ("", " with a small, senior team.", " end to end.", " across time zones.")
_NEED = (
    "{n}+ years of professional experience with {tech}.",
    "Deep knowledge of {tech}, including performance tuning.",
    "Experience running {tech} in production.",
    "Strong written communication in English for a remote-first team.",
    "A bachelor's degree in Computer Science or equivalent practical experience.",
    "Comfort owning work from idea to production with little supervision.",
    "You have shipped at least one product used by thousands of people.",
    "Experience mentoring engineers through code review and pairing.",
)
_NICE = (
    "Contributions to open-source {tech} projects.",
    "Familiarity with {tech}.",
    "Experience at an early-stage startup.",
    "Speaking Spanish or Portuguese.",
    "A background in fintech or healthcare.",
    "Experience with {tech} at scale.",
    "Public speaking or writing about {tech}.",
    "Time spent on a customer-facing team.",
)
_PERKS = (
    "Home-office budget of $1,500.",
    "Four weeks of paid vacation plus local holidays.",
    "Private health insurance.",
    "Annual team retreat.",
    "Learning budget for books and conferences.",
    "Equity in a growing company.",
    "Parental leave of 16 weeks.",
    "Flexible working hours.",
)
_LOCATION_NOTES = (
    "You must be legally authorized to work in {where}. We are unable to sponsor visas.",
    "Visa sponsorship is available for exceptional candidates.",
    "Candidates must reside in {where}; relocation is not supported.",
)


@dataclass(frozen=True, slots=True)
class RolePage:
    slug: str
    title: str
    company: str
    setting: str
    seniority: str
    posted: str


def _bullets(rng: random.Random, templates: tuple[str, ...], stack: tuple[str, ...]) -> list[str]:
    picked = rng.sample(templates, rng.randint(3, min(8, len(templates))))
    return [t.format(n=rng.randint(2, 10), tech=rng.choice(stack)) for t in picked]


def _posted(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.5:
        days = rng.randint(1, 30)
        return f"{days} day{'s' if days > 1 else ''} ago"
    if kind < 0.8:
        return f"Posted {rng.choice(_MONTHS)} {rng.randint(1, 28)}, 2026"
    return "Recently added"


def _role(rng: random.Random, number: int) -> tuple[RolePage, str, str]:
    """One role: its summary, its role page HTML and its listing card HTML."""
    role, category, stack = rng.choice(_ROLES)
    seniority = rng.choice(_SENIORITY)
    title = f"{seniority} {role}".strip() + rng.choice(_QUALIFIERS)
    company = rng.choice(_COMPANIES)
    slug = re.sub(r"[^a-z0-9]+", "-", f"{company} {title} {number}".lower()).strip("-")
    chips, tz_note = rng.choice(_LOCATIONS)
    setting = rng.choice(_SETTINGS)
    page = RolePage(slug, title, company, setting, seniority or "Mid", _posted(rng))
    return page, _role_html(rng, page, category, stack, chips, tz_note), _card_html(page, chips)


def _fact(label: str, value: str) -> str:
    if not value:
        return ""
    return (
        f'    <div class="fact"><span class="fact-label">{label}</span>'
        f'<span class="fact-value">{html.escape(value)}</span></div>\n'
    )


def _section(heading: str, items: list[str]) -> str:
    lis = "".join(f"<li>{html.escape(i)}</li>" for i in items)
    return f'<div class="role-section"><h4>{html.escape(heading)}</h4><ul>{lis}</ul></div>\n'


def _role_html(
    rng: random.Random,
    page: RolePage,
    category: str,
    stack: tuple[str, ...],
    chips: tuple[str, ...],
    tz_note: str | None,
) -> str:
    e = html.escape
    countries = f"{len(chips)} accepted {'country' if len(chips) == 1 else 'countries'}"
    summary = rng.choice(
        (
            f"{page.setting} {category} role open in {len(chips)} locations.",
            f"{page.setting} {category} role with clear candidate location fit.",
        )
    )
    does = [
        f"{rng.choice(_DO_VERBS)} {thing}{rng.choice(_DO_TAILS) or '.'}"
        for thing in rng.sample(_DO_OBJECTS, rng.randint(3, 8))
    ]
    sections = _section(rng.choice(("What you'll do", "Responsibilities", "About the Job")), does)
    sections += _section(
        rng.choice(("What we're looking for", "Requirements", "Minimum Qualifications")),
        _bullets(rng, _NEED, stack),
    )
    if rng.random() < 0.6:
        sections += _section(
            rng.choice(("Nice to have", "Preferred Qualifications", "Bonus points")),
            _bullets(rng, _NICE, stack),
        )
    if rng.random() < 0.4:
        sections += _section("Benefits", _bullets(rng, _PERKS, stack))
    if rng.random() < 0.5:
        note = rng.choice(_LOCATION_NOTES).format(where=", ".join(chips))
        sections += (
            f'<div class="role-section"><h4>Location requirements</h4><p>{e(note)}</p></div>\n'
        )
    tags = "".join(
        f'<li class="tag">{e(t)}</li>' for t in rng.sample(stack, rng.randint(2, len(stack)))
    )
    chip_html = "".join(f'<li class="chip">{e(c)}</li>' for c in chips)
    tz_html = f'\n    <p class="timezone-note">{e(tz_note)}</p>' if tz_note else ""
    facts = (
        _fact("Posted", page.posted)
        + _fact("Eligible countries", countries)
        + _fact("Seniority signal", page.seniority)
        + _fact("Work setting", page.setting)
        + _fact("Employment", rng.choice(_EMPLOYMENT))
        + _fact("Salary", rng.choice(_SALARIES))
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{e(page.title)} at {e(page.company)} | WithMira</title>
<link rel="canonical" href="/jobs/{page.slug}/">
</head>
<body class="page-role">
<header class="site-header">
  <a class="logo" href="/">WithMira</a>
  <nav><a href="/remote-jobs/">Remote jobs</a> <a href="/companies/">Companies</a></nav>
</header>
<main id="content">
  <div class="role-hero">
    <p class="role-company"><a href="/companies/{page.slug.split("-")[0]}/">{e(page.company)}</a></p>
    <h1 class="role-title">{e(page.title)}</h1>
    <p class="role-summary">{e(summary)}</p>
  </div>
  <div class="role-facts">
{facts}  </div>
  <section class="panel locations">
    <h2>Accepted candidate locations</h2>
    <ul class="chips">{chip_html}</ul>{tz_html}
  </section>
  <section class="panel overview">
    <h2>Role overview</h2>
    <p class="panel-title">{e(page.title)}</p>
    <div class="role-body">
      <h3 class="body-heading">Requirements and responsibilities</h3>
      <p class="hint">Readable role content extracted into sections for faster review.</p>
{sections}    </div>
  </section>
  <section class="panel stack">
    <h2>Stack</h2>
    <p class="hint">Use these tags to compare similar remote roles.</p>
    <ul class="tags">{tags}</ul>
  </section>
  <section class="panel hiring-flow">
    <h2>Hiring flow</h2>
    <ol class="steps"><li>Check role fit, stack, and location eligibility in WithMira.</li></ol>
    <a class="apply-button" href="/out/{page.slug}/" rel="nofollow">Apply on company site</a>
  </section>
</main>
<footer class="site-footer"><p>&#169; WithMira</p></footer>
</body>
</html>
"""


def _card_html(page: RolePage, chips: tuple[str, ...]) -> str:
    e = html.escape
    return (
        f'    <li class="role-card">\n      <a class="role-card-link" href="/jobs/{page.slug}/">\n'
        f'        <span class="role-card-title">{e(page.title)}</span>\n'
        f'        <span class="role-card-company">{e(page.company)}</span>\n      </a>\n'
        f'      <span class="role-card-meta">{e(page.setting)} &#183; {e(page.posted)}</span>\n'
        f'      <span class="role-card-countries">{e(", ".join(chips))}</span>\n    </li>\n'
    )


def _listing_path(number: int) -> str:
    return LISTING_PATH if number == 1 else f"{LISTING_PATH}page/{number}/"


def _listing_html(number: int, cards: list[str], last: bool) -> str:
    nav = f'<a rel="prev" href="{_listing_path(number - 1)}">Previous</a>' if number > 1 else ""
    nav += f'<span class="current">{number}</span>'
    if not last:
        nav += f'<a rel="next" href="{_listing_path(number + 1)}">Next</a>'
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Remote jobs, page {number} | WithMira</title>\n</head>\n"
        '<body class="page-listing">\n<main id="content">\n  <h1>Remote jobs</h1>\n'
        f'  <ul class="role-cards">\n{"".join(cards)}  </ul>\n'
        f'  <nav class="pagination">{nav}</nav>\n</main>\n</body>\n</html>\n'
    )


def _write(root: Path, url_path: str, body: str) -> None:
    target = root / url_path.strip("/") / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(body, encoding="utf-8")


def generate_site(
    root: Path, count: int, per_page: int = CARDS_PER_PAGE, seed: int = 7
) -> list[RolePage]:
    """Writes `count` role pages and their listing pages under `root`; returns the roles."""
    rng = random.Random(seed)
    roles: list[RolePage] = []
    cards: list[str] = []
    listing = 1
    for number in range(count):
        page, role_html, card = _role(rng, number)
        _write(root, f"/jobs/{page.slug}/", role_html)
        roles.append(page)
        cards.append(card)
        if len(cards) == per_page:
            _write(root, _listing_path(listing), _listing_html(listing, cards, number == count - 1))
            listing += 1
            cards = []
    if cards or not roles:
        _write(root, _listing_path(listing), _listing_html(listing, cards, True))
    return roles


if __name__ == "__main__":
    import sys

    if len(sys.argv) != 3 or not sys.argv[2].isdigit():
        sys.exit(
            "usage: python bench/pages.py FOLDER COUNT  (writes COUNT role pages under FOLDER)"
        )
    generate_site(Path(sys.argv[1]), int(sys.argv[2]))
