"""Vocabulary of description structure: the heading lexicon, item cues and the requirement terms.

Plain data only. `pipelines.sections` and `pipelines.document` compile their patterns from these,
so a new heading or cue word is added here and nowhere else. Patterns are regular-expression
fragments matched against lower-cased text whose curly apostrophes were straightened.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- heading lexicon ---------------------------------------------------------------------------

# Section labels: what a heading says its items are.
RESPONSIBILITIES = "responsibilities"
MINIMUM = "minimum"
PREFERRED = "preferred"
OTHER = "other"  # company, benefits, pay, process, location... never labelled

# (pattern, label) in priority order: the first pattern found in a heading decides its label.
# Negations and "about the company" words come first so that "Who this is not for" or
# "How to apply" never reach the generic requirement words below them.
HEADING_LEXICON: tuple[tuple[str, str], ...] = (
    # not the role's content, despite role words
    (
        r"\bnot for\b|will not do|won'?t do|\bonce you join\b|looks like\b|\bsuccess\b"
        r"|\boutcomes?\b|\bmetrics\b|\bkpis?\b|in it for you|look forward|you('ll| will) get\b"
        r"|how we hire|\binclusion\b|\blife at\b|\bwe offer\b|\bwhat we offer\b"
        r"|\boffer(s|ing)?\b|\bbenefits?\b|\bperks?\b|\bcompensation\b|\bsalary\b|\bpay\b"
        r"|\bpayment\b|\bpackage\b|\binterview"
        r"|(hiring|application|recruit\w*|selection|our) process\b|^(the |our )?process$"
        r"|how to apply|^to apply\b|\bapplication\b|\bapplying\b|\babout us\b"
        r"|who we are\b(?! looking)|\bcompany\b|\bculture\b|\bvalues\b|\blocation"
        r"|\bheadquarters\b|\btech(nology)? stack\b|\bour stack\b|\bwhy\b|\bcan expect\b"
        r"|\bequal (employment )?opportunit|\beeo\b|\bdiversity\b|\bdisclos|\bprivacy\b"
        r"|\bworking hours\b|\bleave\b|\bcontract type\b|\bpromotion\b"
        r"|\badditional (information|details)|\bhow we work\b|\bwhat we'?re building\b"
        r"|\bnotice\b|\bnote\b|\burl\b|\bschedule\b|\bvorteile\b|\bwir bieten\b|\bbenefits\b"
        r"|kultur|über uns|\bavantages\b|nous te proposons|nous vous proposons|qui sommes|について"
        r"|スケジュール|福利厚生|待遇",
        OTHER,
    ),
    # nice-to-have
    (
        r"nice[- ]to[- ]haves?|\bpreferred\b|\bbonus\b|\ba plus\b|\bpluses\b|\bplus\b"
        r"|extra credit|\bdesired\b|\bdesirable\b|\bideally\b|would be (great|nice)"
        r"|good to have|not required|\boptional\b|\badvantage|wünschenswert|von vorteil"
        r"|stand out|set you apart|idealerweise|\batouts?\b|\bun plus\b|apprécié|souhaité|歓迎"
        r"|尚可",
        PREFERRED,
    ),
    # requirement phrases that also hold role words ("What you bring to the role")
    (
        r"you('ll| will)? bring\b|\bwho you are\b|\babout you\b|you('ll| will) have the following",
        MINIMUM,
    ),
    # what the person will do
    (
        r"responsibilit|\bduties\b|\btasks?\b|what you'?ll do|what you will do"
        r"|you('ll)? get to do|you('ll| will)( \w+)? be doing|you('ll| will) contribute"
        r"|\byou( will|'ll)( be)?$|you('ll| will) work on|how you('ll| will) (make an )?impact"
        r"|impact you('ll| will) (make|have)|\byour impact\b|\bin this role\b|\bthe role\b"
        r"|\byour role\b|\brole overview\b"
        r"|\babout (the|this) (job|role|position|opportunity)\b"
        r"|^about the\b.{0,50}\b(role|position|internship|opportunity)$"
        r"|\babout the internship\b|\bjob description\b"
        r"|\bposition (overview|summary|description)\b|\bjob summary\b|^summary$|\boverview\b"
        r"|typical day|day[- ]to[- ]day|day in the life|\byour mission\b|\bthe job\b"
        r"|^missions?\b|aufgaben|erwartet dich|dich erwartet|dich in dieser rolle|deine rolle"
        r"|tes missions|vos missions|ta mission|le poste|業務内容|仕事内容|職務内容|取り組んで",
        RESPONSIBILITIES,
    ),
    # must-have requirements
    (
        r"requirement|qualification|\brequired\b|must[- ]haves?|\bmust (also )?have\b"
        r"|\bminimum\b|\bessential|\blook(ing)? for\b|who you are|what you('ve| have) done"
        r"|about you\b|\byour profile\b|\bprofile\b|you('ll| will)? bring|you have|\byou are:"
        r"|\bif you\b|we expect|expect from you|ideal candidate|perfect match|perfektes match"
        r"|\ba fit\b|you might be|\bis for\b|apply if|\bskills?\b|\bskill ?set\b"
        r"|\bexperience\b|what'?s important|important (for|to) us|what it takes"
        r"|you('ll| will)? need\b|\bwe need\b|need to have|you should have|you to have\b"
        r"|person you are|type of person|\bexpertise\b|prerequisite|\bcompetenc|\bknowledge\b"
        r"|\bcandidate\b|\bprofil\b|anforderung|qualifikation|mitbringst|bringst du mit"
        r"|was wir erwarten|compétences|prérequis|ce que nous recherchons|求める|応募資格|必須|要件|資格",
        MINIMUM,
    ),
    # generic "about ..." and team headings, after the role ones had their chance
    (
        r"^about\b|\bteam\b|\bmission\b|\bvision\b|\bgrowth\b|\bwho we\b|\brelationship\b",
        OTHER,
    ),
)


# Markers an origin left where it cut a text ("Comfortable...[truncated]").
TRUNCATION_MARKS = ("[truncated",)

# A sentence before a list that holds one of these announces the list ("... the following.").
LIST_ANNOUNCERS = ("following", "以下", "folgende", "suivant")

# --- item cues ---------------------------------------------------------------------------------

# An item moves to "preferred" when its main clause carries one of these (gold README).
PREFERRED_MARKERS = (
    r"\b(is|are|would be|will be|be)( considered)?( an?)?( (strong|big|huge|great|real|definite))?"
    r" (plus|bonus|advantage|asset)\b|\bpreferred\b|\bnice[- ]to[- ]have\b|\bdesired\b"
    r"|\b(is|are|would be)( (highly|very|especially|particularly))?"
    r" (desirable|beneficial|welcome)\b"
    r"|est un plus|serait un plus|\bun atout\b|von vorteil|wünschenswert"
    r"|ist ein plus|\b(a|an)( (strong|big|huge|great|real|definite))? (plus|bonus|advantage|asset)"
    r"[.!]?$|\b(sont|seraient) (un|des) (plus|atouts)\b|\b(será|seria|é|es|sería) (um|un|una)"
    r" (diferencial|plus|ventaja)\b"
)
# A parenthesis that is nothing but a marker ("(Preferred)") moves the item wherever it sits.
PREFERRED_TAG = r"\(\s*(preferred|nice[- ]to[- ]have|bonus|a plus|plus|optional|desired)\s*\)"
# Clause boundaries after which a marker only qualifies the main requirement ("X - Y is a plus").
CLAUSE_BREAKS = r"\s[-–—]\s|;|\sbut\s|,\s*with\s|,\s*preferably\s|,\s*ideally\s"
# "Must have ..." inside a nice-to-have list is a must (gold README).
MUST_MARKERS = r"^(must|required|mandatory)\b|\bis (a )?must\b|\bis required\b"

# Each cue pattern has trigger words: text holding none of them cannot match, so the pattern is
# not even tried (a substring test is far cheaper than a regular expression with alternatives).
PREFERRED_TRIGGERS = (
    "plus",
    "bonus",
    "advantage",
    "asset",
    "prefer",
    "nice",
    "desir",
    "benefic",
    "welcome",
    "atout",
    "vorteil",
    "wünschens",
    "diferencial",
    "ventaja",
)
MUST_TRIGGERS = ("must", "required", "mandatory")

# Eligibility musts are minimum requirements wherever they appear (gold README).
ELIGIBILITY_MUSTS = (
    r"\bmust (currently )?(be )?(based|located|resid(e|ing)|liv(e|ing))\b"
    r"|\b(must|need to|have to) be (legally )?(authori[sz]ed|eligible|permitted) to work\b"
    r"|\bcandidates only\b|\bonly\b.{0,60}\bwork authori[sz]ation\b|-based role\b"
    r"|\bmust (have|hold) (the |a )?(legal )?right to work\b"
)

ELIGIBILITY_TRIGGERS = ("must", "only", "-based", "need to be", "have to be", "right to work")

# Words that make a list item or a sentence read like a task (what the person will do).
# (pattern, trigger words) pairs: a sentence that matches one of them reads like a task.
TASK_SENTENCE_CUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        r"you('ll| will) (?!(also )?(need\b|have\b|get\b|receive\b|enjoy\b|join\b|love\b|find\b"
        r"|be part\b|be joining\b|be working with\b|be a (great|good|perfect) fit\b|thrive\b"
        r"|be (eligible|entitled|offered|paid|rewarded|reporting|based)\b|report\b))",
        ("you",),
    ),
    (r"(?<!team is )(?<!team are )responsible for\b", ("responsible for",)),
    (r"in this role\b|the role is\b|your job is\b", ("role", "your job")),
    (
        r"we'?re (hiring|looking for|seeking) (an? |the )?[\w -]{0,60}? to "
        r"(?!join\b|be\b|help us\b)\w+",
        ("hiring", "looking for", "seeking"),
    ),
    (
        r"wirst du\b|du wirst\b|tu (vas|seras|auras pour mission)\b|vous (allez|serez)\b",
        ("wirst", "tu ", "vous"),
    ),
)
# First words of task bullets ("Build ...", "Managing ..."); -ing forms are recognised by shape.
TASK_VERBS = _words(
    "act advise align analyze analyse answer approve architect assist attend audit automate build"
    " champion close coach collaborate communicate compile conduct contribute coordinate create"
    " debug define deliver demo deploy design develop direct distill document draft drive engage"
    " ensure establish evaluate evolve execute expand facilitate focus forecast guide handle harden"
    " help hire identify implement improve influence initiate inspect install integrate interview"
    " investigate keep lead liaise log maintain manage mentor migrate monitor negotiate observe"
    " onboard operate optimize optimise organize organise oversee own participate partner perform"
    " plan prepare present prioritize prioritise process produce promote prototype provide publish"
    " qualify recommend record recruit reduce refine report represent research resolve respond"
    " review run scale schedule scope sell serve set shape ship source spearhead streamline"
    " support take test track train translate triage troubleshoot update use utilize validate"
    " work write"
)
# Task verbs that, opening a requirement item, describe how the candidate works ("Work
# comfortably in ...", "Take ownership"): such items stay requirements.
ATTITUDE_VERBS = _words("work take keep use")
# French task bullets start with an infinitive ("Développer", "Analyser", "Être").
FRENCH_INFINITIVE = r"^(être|[a-zàâçéèêëîïôûùüÿœ]{3,}(er|ir|re))$"

# Verbs of a second-person item that describe the candidate, not a task ("You have",
# "Du bist", "Tu maîtrises"): such items stay requirements.
STATE_VERBS = _words(
    "are have bring know possess speak 've 're"
    " bist hast verfügst bringst besitzt kannst sprichst bevorzugst beherrschst denkst liebst"
    " magst willst suchst interessierst überzeugst arbeitest identifizierst findest musst"
    " solltest möchtest kennst weißt fühlst lernst begeisterst brennst"
    " as es maîtrises lis parles connais sais aimes disposes possèdes justifies comprends"
    " êtes avez maîtrisez parlez connaissez savez"
)
# Second-person pronouns that open such items.
SECOND_PERSON = frozenset({"you", "du", "tu", "vous"})
# "You will <verb>" inside a requirements list is a task (gold README); German "Du <verb> ... auf".
FUTURE_TASK = r"^(you will|you'll) (?!be (a|an|the|comfortable|able)\b|have\b|need\b|bring\b)\w+"

# Prose that states a need of the candidate ("You'll need to know ...", "If you have ...").
NEED_CUES = r"\byou('ll| will)? need\b|\bif you have\b|\byou must\b|\byou should have\b"
NEED_TRIGGERS = ("need", "if you have", "must", "should have")

# Word stems that make an item or sentence read like a requirement (substring test).
REQUIREMENT_STEMS = (
    "year",
    "experience",
    "degree",
    "bachelor",
    "master's",
    "knowledge",
    "proficien",
    "familiar",
    "ability",
    "abilities",
    "understanding",
    "skill",
    "fluen",
    "expertise",
    "track record",
    "background in",
    "comfortable",
    "certifi",
    "you have",
    "you are",
    "you bring",
    "must",
    "required",
    "you need",
    "you'll need",
    "if you have",
    "erfahrung",
    "kenntnis",
    "du hast",
    "du bist",
    "du bringst",
    "du verfügst",
    "studium",
    "jahre",
    "expérience",
    "connaissance",
    "maîtris",
    "tu as ",
    "tu es ",
    "diplôme",
    "années",
    "経験",
    "資格",
)

# --- years of experience -----------------------------------------------------------------------

# Spelled numbers that years figures use ("two years", "five+ years").
NUMBER_WORDS: dict[str, int] = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
    "fifteen": 15,
    "ein": 1,
    "eine": 1,
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "fünf": 5,
    "sechs": 6,
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
}
# Units after a years figure, in the languages of the sources.
YEAR_UNITS = r"years?|yrs?|jahre?n?|ans|années|annees|年"
# A years figure outside the requirement lists counts only when worded as a minimum.
AT_LEAST = (
    r"\d\s*\+|\bat least\b|\bminimum\b|\bmin\.|\bmindestens\b|\bau moins\b|\bminimum de\b"
    r"|\bor more\b|\boder mehr\b|以上"
)
# Phrases that mean the role asks for no experience at all (and their trigger words).
NO_EXPERIENCE_TRIGGERS = ("experience", "erfahrung", "expérience")
NO_EXPERIENCE = (
    r"\bno (prior |previous )?experience (is )?(required|needed|necessary)\b"
    r"|\bkeine (berufs)?erfahrung (nötig|notwendig|erforderlich)\b|\bsans expérience\b"
)

# --- education ---------------------------------------------------------------------------------

# (pattern, level) from the highest degree to the lowest; an item's lowest degree counts.
# Bare "MS"/"BS" count only as a degree ("BS or MS in ...", "MS/PhD"), never "MS Office".
_DEGREE_CONTEXT = r"(?=\s*(in\b|or\b|/|degree\b|,|\)))"
EDUCATION_LEVELS: tuple[tuple[str, str], ...] = (
    (r"\bph\.?\s?d\b|\bdoctora(te|l)\b|\bdoctorat\b", "doctorate"),
    (
        r"\bmaster'?s?\b|\bm\.?sc?\.?" + _DEGREE_CONTEXT + r"|\bmba\b|\bgraduate degree\b"
        r"|\badvanced degree\b|\bbac\s?\+\s?5\b|diplôme d'ingénieur",
        "master",
    ),
    (
        r"\bbachelor'?s?\b|\bb\.?[as]c?\.?" + _DEGREE_CONTEXT + r"|\bundergraduate\b"
        r"|\buniversity degree\b|\bcollege degree\b|\b(4|four)-year degree\b|\bdegree in\b"
        r"|\bhochschulabschluss\b|\bstudium\b|\bbac\s?\+\s?3\b|\blicence\b",
        "bachelor",
    ),
    (r"\bassociate'?s? degree\b", "associate"),
    (r"\bhigh school\b|\bged\b|\bsecondary school\b|\babitur\b|\bbaccalauréat\b", "high_school"),
)
# Text without any of these names no degree (trigger words of EDUCATION_LEVELS and NO_DEGREE).
EDUCATION_TRIGGERS = (
    "ph",
    "doctor",
    "master",
    "m.s",
    "ms",
    "msc",
    "mba",
    "graduate",
    "degree",
    "bac",
    "diplôme",
    "bachelor",
    "b.s",
    "b.a",
    "bs",
    "ba",
    "bsc",
    "undergraduate",
    "university",
    "college",
    "hochschul",
    "studium",
    "licence",
    "associate",
    "high school",
    "ged",
    "secondary",
    "abitur",
)
# Text without any of these has no years figure.
YEAR_TRIGGERS = ("year", "yr", "jahr", "ans", "année", "annee", "年")
NO_DEGREE = (
    r"\bno (college |university )?degree (is )?(required|needed|necessary)\b"
    r"|\bdegree not required\b"
)

# --- sentence splitting ------------------------------------------------------------------------

# Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = _words(
    "e.g i.e etc vs approx incl inc ltd co corp no nr mr mrs ms dr sr jr st u.s u.k u.s.a a.m p.m"
    " jan feb mar apr jun jul aug sep sept oct nov dec dept est fig ca bzw z.b u.a d.h"
    " ggf usw inkl mind"
)
