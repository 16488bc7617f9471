"""Vocabulary that tells a bare heading line from an item line holding a heading word.

Plain data only, used by `pipelines.lexicon.is_heading_line`. Patterns are regular-expression
fragments matched against lower-cased text whose curly apostrophes were straightened.
"""

from __future__ import annotations

# Phrases that only a heading says ("What you'll do", "Who you are", "Was du mitbringst",
# "Profil recherché", "O que você vai fazer", "Lo que buscamos"): a short line holding one of
# them is a heading whatever its case.
HEADING_PHRASES = (
    r"^(what|who|how|why|where|was|wen|qui|que|qu'|o que|lo que|qué)\b"
    r"|^(bonus|extra credit|pluses|preferred|desired|desirable)\b"
    r"|\b(include|includes|following)$|^you might be\b|\bif you('re| are)$"
    r"|^(the |our |hiring |interview |recruitment |application )?process\b|^how to apply\b"
    r"|^additional (details|information)\b|^(compensation|salary|benefits|perks)\b"
    r"|\bnice[- ]to[- ]haves?\b|\bmust[- ]haves?\b|\bbonus points\b|\bgood to have\b"
    r"|^about (you|the (role|job|position|team|company|opportunity)|us)$|\byou('ll| will)? bring$"
    r"|\bwe('re| are) looking for$|\bwe offer$|\bideal candidate$|\bday[- ]to[- ]day$"
    r"|^(your|our|deine|dein|ihre|ihr|unsere?|tes|vos|ton|votre|ta|tus|sus|seus|suas|sua|seu)"
    r"( [\w'-]+){1,2}$|\bbringst du mit$|\bmitbringst$|^profil recherch|requises$|^requisitos"
    r"|^responsabilidades|^diferenciais|^desejável|^deseable|^se valorará|^atividades"
    r"|^atribuições|^funciones|^competencias|^qualificações|^conocimientos"
)
# Qualifier words that make a weak heading word a heading ("Required Skills", "Experience").
HEADING_QUALIFIERS = (
    r"\b(required|preferred|desired|desirable|minimum|basic|key|core|technical|relevant"
    r"|additional|essential|professional|bonus|necessary|your|our|the)\b"
)
# Heading words that also name what an item asks for ("Python Experience", "Communication
# Skills"): a title-case line holding only these needs a qualifier to be a heading.
WEAK_HEADING_WORDS = (
    r"\b(skills?|skill ?set|experience|knowledge|expertise|competenc\w*|candidate|profile"
    r"|summary|overview|tasks?|values|culture|location|schedule|package|pay|growth|team"
    r"|mission|vision|company|process|application|notice|note)\b"
)

# Headings in more languages, added to the lexicon after its own entries (same priority order:
# the first pattern found decides). Portuguese, Spanish, French, German, Chinese, Japanese.
EXTRA_LEXICON: tuple[tuple[str, str], ...] = (
    (
        r"benefícios|beneficios|o que oferecemos|lo que ofrecemos|ofrecemos|oferecemos"
        r"|福利|待遇|薪资|薪酬|关于我们|公司介绍|会社概要|給与|勤務地|勤務時間",
        "other",
    ),
    (
        r"diferenciais|diferencial|desejáve(l|is)|deseable|deseables|se valorará|valoramos"
        r"|será um plus|sería un plus|加分|优先|歓迎|尚可|あれば尚",
        "preferred",
    ),
    (
        r"responsabilidades|atividades|atribuições|funciones|tareas|o que (você|voce) (vai|irá)"
        r" fazer|qué harás|que harás|responsabilités|岗位职责|工作职责|职位描述|工作内容|职责"
        r"|主な業務|業務内容|仕事内容|\bder job\b|\bdie stelle\b|tätigkeiten|deine rolle",
        "responsibilities",
    ),
    (
        r"requisitos|requerimientos|qualificações|competências|habilidades|conocimientos"
        r"|perfil|o que (buscamos|esperamos)|lo que buscamos|任职要求|岗位要求|任职资格|职位要求"
        r"|要求|必須|応募資格|求める人物|aptidões|qualidades|exigences|ton profil|votre profil"
        r"|wonach wir suchen|was wir suchen|wen wir suchen|^(you|du|vous|toi)$",
        "minimum",
    ),
)
