"""A feedback corpus written for the benchmarks, generated deterministically.

The sentences below were written for this project: review paragraphs that mix
complete feedback, praise, plain descriptions of work and the kinds of wording
the rules look for, so that the benchmark exercises both matching and
non-matching text. ``documents(n)`` assembles ``n`` Markdown review documents
from them with a fixed seed, so every run measures the same text.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

PEOPLE = ["Alex", "Sam", "Priya", "Jordan", "Mei", "Tomás", "Ngozi", "Lena", "Omar", "Kai"]
PROJECTS = [
    "the billing export",
    "the search rewrite",
    "the mobile release",
    "the data migration",
    "the onboarding guide",
    "the payments API",
    "the incident runbook",
    "the CI pipeline",
]
MEETINGS = [
    "Tuesday's stand-up",
    "the sprint review",
    "the design review on 4 March",
    "our one-to-one last week",
    "the planning session",
    "the retrospective",
]

SITUATION = [
    "In {meeting}, I observed that {name} walked the team through {project} step by step.",
    "During {meeting}, {name} answered every question about {project} with concrete numbers.",
    "In {meeting}, the update on {project} ran fifteen minutes over the slot.",
    "Last Thursday, {name} merged the change to {project} without the second review we agreed on.",
    "On {project}, I saw three pull requests wait more than a week for a first review.",
    "When we planned {project}, {name} split the work into tickets that each fit in a day.",
    "In {meeting}, {name} asked the quieter members of the team for their view first.",
    "While testing {project}, I noticed the error messages did not say which field was wrong.",
]
IMPACT = [
    "That meant the design review moved to Friday and two people lost an afternoon.",
    "As a result, the support team could answer customers without escalating to us.",
    "This delayed the release by two days, because QA had to repeat the regression run.",
    "Because of that, new hires finished their first ticket in their first week.",
    "Which meant we found the rounding bug before it reached any invoice.",
    "So the on-call engineer had to roll back at two in the morning.",
    "The customer demo went smoothly, and the account renewed the next month.",
]
NEXT_STEP = [
    "Could you timebox the update to five minutes next week?",
    "Next time, could you ask for the second review before merging, by the end of the day?",
    "Let's agree on a first-review time of two working days, starting with the next sprint.",
    "I suggest writing the error message checklist into the template before the next release.",
    "Would it help to pair with {name} on the test plan before 2 May?",
    "Please add the rollback steps to the runbook by Friday.",
    "What would make the review queue easier for you to keep short?",
]
PRAISE = [
    "Thank you for the care you put into {project}.",
    "Great job on {project}: the documentation is the clearest we have.",
    "{name}'s write-up of the incident was honest and easy to follow.",
    "You always have my support when you take on a stretch project like {project}.",
    "The build always runs on merge, so the dashboards stay current.",
]
PLAIN = [
    "The migration script reads the old table in batches of ten thousand rows.",
    "We moved the nightly job to run after the backup finishes.",
    "The API returns a 409 when two clients update the same record.",
    "Most of the quarter went into {project}, which shipped in two phases.",
    "The team grew from four to six people in March.",
    "The roadmap for next quarter puts {project} first and the dashboard second.",
]
HARSH = [
    "You always miss the sprint deadlines.",
    "Honestly, {name} is lazy about writing tests.",
    "You never listen in planning meetings.",
    "He is a slacker when it comes to code review.",
    "Your work on {project} is bad.",
    "Great job breaking the build again, genius.",
    "What were you thinking when you merged that?",
    "You should have tested this before the demo.",
    "Do better.",
    "If this happens again, you're off the project.",
    "Calm down, it's not a big deal.",
    "Obviously, you didn't read the spec.",
]
HEADINGS = ["What went well", "What could be better", "Observations", "Next steps", "Summary"]


def _fill(sentence: str, rng: random.Random) -> str:
    return sentence.format(
        name=rng.choice(PEOPLE), project=rng.choice(PROJECTS), meeting=rng.choice(MEETINGS)
    )


def _paragraph(rng: random.Random) -> str:
    pools = [SITUATION, IMPACT, NEXT_STEP, PRAISE, PLAIN, PLAIN, SITUATION, HARSH]
    count = rng.randint(3, 6)
    return " ".join(_fill(rng.choice(rng.choice(pools)), rng) for _ in range(count))


def document(rng: random.Random) -> str:
    """One Markdown review: a title, sections of paragraphs and a short list."""
    name = rng.choice(PEOPLE)
    parts = [f"# Review: {name}", ""]
    for heading in rng.sample(HEADINGS, rng.randint(2, 4)):
        parts += [f"## {heading}", ""]
        for _ in range(rng.randint(1, 3)):
            parts += [_paragraph(rng), ""]
        if rng.random() < 0.4:
            parts += [f"- {_fill(rng.choice(NEXT_STEP), rng)}" for _ in range(2)] + [""]
    if rng.random() < 0.2:
        parts += ["```sh", "make test  # you always run this first", "```", ""]
    return "\n".join(parts)


def documents(count: int, seed: int = 2026) -> Iterator[str]:
    """``count`` review documents, the same for the same seed."""
    rng = random.Random(seed)
    for _ in range(count):
        yield document(rng)


def long_document(rng: random.Random, words: int = 2_000) -> str:
    """One long review written as a single block (no headings, no blank lines), as peer
    reviews pasted from a form often are: the case that decides the peak memory."""
    sentences: list[str] = []
    total = 0
    while total < words:
        sentence = _paragraph(rng)
        sentences.append(sentence)
        total += len(sentence.split())
    return " ".join(sentences) + "\n"


def long_documents(count: int, seed: int = 2027, words: int = 2_000) -> Iterator[str]:
    """``count`` long one-block reviews of about ``words`` words each."""
    rng = random.Random(seed)
    for _ in range(count):
        yield long_document(rng, words)


def words(texts: list[str]) -> int:
    """A whitespace word count, the unit of the throughput figures."""
    return sum(len(text.split()) for text in texts)
