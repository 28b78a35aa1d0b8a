"""Event assembly: split an analysed article into the events it reports,
link sub-events to their umbrella, and give each its date, venue,
participants and topics with evidence."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from annotator import confidence as scored
from annotator import countries as country_names
from annotator import headlines, triggers
from annotator import orgs as org_data
from annotator import topics as topic_rules
from annotator.analysis import Analysis
from annotator.dates import anchored as anchored_phrases
from annotator.dates import resolve_anchor
from annotator.model import FoundEntity, FoundEvent, FoundPlace, Span
from annotator.people import Person, Position
from annotator.roles import roles as event_roles
from annotator.text import Sentence, norm
from annotator.venues import LOCATIVE
from annotator.venues import venue as venue_of

# Where a sentence's attribution begins («…, сообщает МИД»). Never inside a run of spaces:
# from each of its spaces the run was read again (quadratic in a long run, issue 14).
_ATTRIBUTION = re.compile(
    r"(?:,|(?<!\s))\s*(?:—\s*)?(?:сообщает|сообщили|сообщила|передает|передаёт|информирует"
    r"|говорится|reports?|reported|according to)\b",
    re.I,
)
# A name one or two words after these is not a participant's. Possessive (++, *+): two
# words are read once each, not cut at every letter again when a third follows.
_NON_PARTICIPANT = re.compile(
    r"(?:по поручению|от имени|приветстви\w{0,20} от|послани\w{0,20}|on behalf of|greetings from"
    r"|message from|at the invitation of|по приглашению)\s++\S*+\s*+\S*+\s*$",
    re.I,
)
# A spokesperson tells of the event and takes no part in it («Пресс-секретарь Президента
# Шерзод Асадов рассказал …», "presidential spokesperson … said").
_SPOKESPERSON = re.compile(
    r"(?:пресс-секретар|официальн\w{0,5} представител\w{0,5} мид|press secretary"
    r"|spokes(?:person|man|woman))[^.,;:]{0,60}$",
    re.I,
)
# How far before a name the phrase is looked for: it and two words fit (a name's every
# mention reading all its sentence before it was quadratic in a long sentence).
_NON_PARTICIPANT_REACH = 200
# Words of a sentence about ministers or leaders of several states.
_PLURAL_SIDES = re.compile(
    r"\b(?:министров|глав|лидеров|стран|ministers|leaders|heads of)\b", re.I
)  # not «иностранных»
_ADJ_HEADS = re.compile(
    r"^\s*(?:сторон|делегаци|лидер|коллег|правительств|министр|мид|посол|посольств|президент|"
    r"глав|премьер|side|delegation|leader|counterpart|government|minister|foreign|president|"
    r"prime|ambassador|embassy|officials?|deputy|parliament)",
    re.I,
)


@dataclass
class Draft:
    """An event while the article is read."""

    key: str
    type: str
    trigger: Span | None
    sentences: list[int] = field(default_factory=list)
    persons: list[int] = field(default_factory=list)  # indices into Analysis.people
    countries: dict[str, list[Span]] = field(default_factory=dict)
    orgs: dict[str, list[Span]] = field(default_factory=dict)
    parent: str | None = None
    umbrella_phrase: Span | None = None
    date: tuple[dt.date, dt.date, str, str, Span | None] | None = None
    venue: FoundPlace | None = None
    venue_country: str | None = None
    plural: bool = False


def _sides_met(d: Draft) -> bool:
    """A meeting of states or of an organisation's bodies, dated in the text."""
    return (
        d.trigger is not None
        and d.date is not None
        and d.date[3] in {"text", "relative"}
        and (len(d.countries) >= 2 or bool(d.orgs))
    )


class _Builder:
    """Reads an article sentence by sentence, keeping the events being told
    (``current``) and a series of meetings announced but not yet told."""

    def __init__(self, a: Analysis) -> None:
        self.a = a
        self.drafts: list[Draft] = []
        self.current: list[Draft] = []
        self.main = 0 if a.people else None
        self.pending_series = False
        self.pending_parent: str | None = None
        self.pending_date = None
        self.series_drafts: list[Draft] = []
        self.sentence_people = self._people_by_sentence()

    # ------------------------------------------------------------ helpers
    def _sentence_of(self, offset: int) -> int:
        for s in self.a.sentences:
            if s.start <= offset < s.end:
                return s.index
        return -1

    def _people_by_sentence(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        body = self.a.body
        for m in self.a.mentions:
            s = self._sentence_of(m.start)
            if s < 0:
                continue
            reach = max(self.a.sentences[s].start, m.start - _NON_PARTICIPANT_REACH)
            if _NON_PARTICIPANT.search(body, reach, m.start) or _SPOKESPERSON.search(
                body, reach, m.start
            ):
                continue
            out.setdefault(s, [])
            if m.cluster not in out[s]:
                out[s].append(m.cluster)
        for ref in self.a.refs:
            s = self._sentence_of(ref.start)
            idx = self._resolve_ref(ref)
            if s >= 0 and idx is not None:
                out.setdefault(s, [])
                if idx not in out[s]:
                    out[s].append(idx)
        return out

    def _resolve_ref(self, ref: Position) -> int | None:
        """A position phrase with no name → the person who holds that position."""
        candidates = []
        if ref.plural:
            return None
        plural = [p.position for p in self.a.people if p.position and p.position.plural]
        for idx, person in enumerate(self.a.people):
            if person.first_start > ref.start:
                continue
            # one named in a list with the title once ("Presidents Tokayev, Japarov and
            # Berdimuhamedov") holds it too
            pos = person.position or next(
                (
                    title
                    for title in plural
                    if person.country is not None and 0 <= person.first_start - title.end < 120
                ),
                None,
            )
            if pos is None:
                continue
            country = (pos.country if pos is person.position else None) or person.country
            same_head = (
                pos.head == ref.head
                or (ref.head == "глава" and "мид" in norm(ref.text) and pos.head == "министр")
                or (ref.head == "head" and pos.head == "minister")
            )
            if not same_head:
                continue
            if ref.org and pos.org and ref.org != pos.org:
                continue
            if ref.country and country and ref.country != country:
                continue
            candidates.append(idx)
        return candidates[0] if len(candidates) == 1 else None

    def _new(self, kind: str, trig: Span | None) -> Draft:
        draft = Draft(key=f"e{len(self.drafts) + 1}", type=kind, trigger=trig)
        self.drafts.append(draft)
        return draft

    def _attach(self, drafts: list[Draft], s: Sentence, participation: bool) -> None:
        for d in drafts:
            if s.index not in d.sentences:
                d.sentences.append(s.index)
            if participation:
                self._add_countries(d, s)
                for p in self.sentence_people.get(s.index, []):
                    if p not in d.persons:
                        d.persons.append(p)

    def _add_countries(self, d: Draft, s: Sentence, *, host_ok: bool = False) -> None:
        body = self.a.body
        cut = _ATTRIBUTION.search(s.text)
        limit = s.start + cut.start() if cut else s.end
        for c in self.a.countries:
            if not (s.start <= c.start < limit):
                continue
            prev = self.a.tokens[c.token_index - 1].text.casefold() if c.token_index else ""
            if (prev in LOCATIVE or prev in {"на", "to", "into", "из", "from"}) and not host_ok:
                continue
            if c.adjective and not _ADJ_HEADS.match(body[c.end : c.end + 20]):
                continue
            if _in_chain(self.a, c):
                continue
            d.countries.setdefault(c.code, []).append(Span(c.start, c.end, body[c.start : c.end]))
        for o in self.a.orgs:
            if s.start <= o.start < limit:
                d.orgs.setdefault(o.org.name, []).append(
                    Span(o.start, o.end, body[o.start : o.end])
                )

    def _find_umbrella(self, phrase: str) -> Draft | None:
        """The umbrella event already reported that ``phrase`` («в рамках визита») names."""
        kind = triggers.umbrella_type(phrase)
        stem = _event_noun(phrase)
        for d in self.drafts:
            if d.umbrella_phrase is not None and _event_noun(d.umbrella_phrase.text) == stem:
                return d
            if d.type == kind and kind in {"summit", "conference", "visit"} and d.parent is None:
                return d
        return None

    # ------------------------------------------------------------ main loop
    def run(self) -> list[Draft]:
        a = self.a
        for s in a.sentences:
            if a.dateline and s.end <= a.dateline.end:
                continue
            text = s.text
            if a.dateline and s.start < a.dateline.end:
                text = " " * (a.dateline.end - s.start) + text[a.dateline.end - s.start :]
            self._sentence(s, text)
        # an event nobody is named in is a plan or a mention, not a report, unless states
        # or an organisation meet on a day the text gives («Совет глав правительств СНГ
        # на заседании в пятницу …», "the summit of the EU and the five Central Asian
        # states, held … on Friday, 4 April")
        return [d for d in self.drafts if d.persons or d.umbrella_phrase or _sides_met(d)]

    def _sentence(self, s: Sentence, text: str) -> None:
        """One sentence: the events it reports, or more about those already reported."""
        lang = self.a.lang
        present = self.sentence_people.get(s.index, [])
        if self._is_background(text, present):
            return
        trig = self._cue(s, text, present)
        future = triggers.future_at(text, lang)
        planned = (
            (triggers.planned(text, lang) or (future is not None and future < 25))
            and not triggers.is_reference(text, lang)
            and not triggers.discussed(text, lang)
        )  # «Особое внимание уделено подготовке предстоящего саммита …» is what was discussed;
        # «Ожидается, что главы правительств рассмотрят …» is not
        if planned and not present:
            return  # «запланированы панельные сессии»: nothing reported, nothing discussed
        participation = triggers.participation(text, lang)
        if trig is None:
            self._more_of(s, present, participation, planned)
            return
        parent = self._umbrella_named(s, text)
        new_people = self._new_people(text, present)
        if triggers.series(text, lang) and not new_people:
            self._open_series(parent, s)
            return
        if self._of_current(s, text, trig, present, participation, parent):
            return
        if not new_people and self._tells_more(s, text, trig, present, participation):
            return
        created = self._open_events(s, text, trig, present, new_people, parent)
        if self.pending_series and len(new_people) > 1:
            self.pending_series = False
        elif self.pending_series:
            self.series_drafts.extend(created)
        self.current = created

    def _more_of(self, s: Sentence, present: list[int], participation: bool, planned: bool):
        """A sentence with no event cue: more about the events being told, or about
        those of the people it names («С Шавкатом Мирзиёевым стороны затронули …»
        after the other calls)."""
        own = self._events_of(present)
        if own:
            self.current = own
        if self.current and not planned:
            self._attach(self.current, s, participation or self._names_sides(present))

    def _new_people(self, text: str, present: list[int]) -> list[int]:
        """The people of a sentence not in the events being told (nor, in a sentence
        that refers back, «В беседе с Касым-Жомартом Токаевым …», in any told before)."""
        context = self.series_drafts if self.pending_series else self.current
        known = {p for d in context for p in d.persons}
        if triggers.is_reference(text, self.a.lang):
            known |= {p for d in self.drafts for p in d.persons}
        return [p for p in present if p not in known and p != self.main]

    def _cue(self, s: Sentence, text: str, present: list[int]) -> triggers.Trigger | None:
        """The event cue of a sentence, unless it names any summit, not one."""
        trig = triggers.trigger(text, self.a.lang)
        if trig is not None and self._mentioned_only(s, text, trig, present):
            return None
        if (
            trig is not None
            and trig.type == "visit"
            and triggers.is_event_noun(text[trig.start : trig.end])
            and any(d.type == "visit" for d in self.drafts)
        ):
            # "The state visit began with the official meeting ceremony with …": the visit
            # told already, and what the sentence reports is in it
            masked = text[: trig.start] + " " * (trig.end - trig.start) + text[trig.end :]
            return triggers.trigger(masked, self.a.lang) or trig
        return trig

    def _mentioned_only(
        self, s: Sentence, text: str, trig: triggers.Trigger, present: list[int]
    ) -> bool:
        """Whether the cue is any summit or forum, not one: a noun after "every", "each"
        or "such" («каждого саммита»), nobody named, no day written ("The agenda of
        almost every summit …")."""
        noun = triggers.is_event_noun(text[trig.start : trig.end])
        return (
            noun
            and triggers.generic(text, trig.start)
            and not present
            and self._explicit_date(s) is None
            and not triggers.happened(text, self.a.lang)
            and not triggers.umbrella(text, self.a.lang)
        )

    def _names_sides(self, present: list[int]) -> bool:
        """Whether a sentence names the people of the states an event just told left
        unnamed («провёл телефонные разговоры с президентами Казахстана, Киргизии …»,
        then «Касым-Жомарт Токаев, Садыр Жапаров … поздравили …»)."""
        states = {c for d in self.current if d.plural for c in d.countries}
        others = [p for p in present if p != self.main]
        return bool(others) and all(self.a.people[p].country in states for p in others)

    def _of_current(
        self,
        s: Sentence,
        text: str,
        trig: triggers.Trigger,
        present: list[int],
        participation: bool,
        parent: Draft | None,
    ) -> bool:
        """Whether a sentence with an event noun belongs to the events being told: an
        event of the visit told («Заседание Совета … состоялось 10 октября», its people
        named next), or who took part in the event just told («В заседании приняли
        участие К.Токаев, С.Жапаров …», "The talks were attended by …")."""
        if not (trig.nominal and self.current):
            return False
        explicit = self._explicit_date(s)
        if (
            not present
            and triggers.happened(text, self.a.lang)
            and (
                all(d.type == "visit" for d in self.current)
                # «Заседание … состоялось 10 октября» after a meeting of another day
                or (
                    explicit is not None
                    and all(d.date and d.date[0] != explicit[0] for d in self.current)
                )
            )
        ):
            self.current = self._open_events(s, text, trig, present, [], parent)
            return True
        if participation and parent is None:
            self._attach(self.current, s, participation)
            return True
        return False

    def _is_background(self, text: str, present: list[int]) -> bool:
        """A background sentence reports nothing, unless it names people and does
        not open as a reminder («Напомним, …»)."""
        lang = self.a.lang
        if triggers.recalled(text, lang, self.a.published):
            return True
        if triggers.discussed(text, lang) and not triggers.background_lead(text, lang):
            return False  # «Отдельное внимание уделено вопросам миграции: по данным МИД, …»
        return triggers.background(text, lang, self.a.published.year) and (
            not present or triggers.background_lead(text, lang)
        )

    def _umbrella_named(self, s: Sentence, text: str) -> Draft | None:
        """The umbrella event a sentence places its event in («на полях саммита»):
        one already reported, else a new one."""
        umb = triggers.umbrella(text, self.a.lang)
        if umb is None:
            return None
        future = triggers.future_at(text, self.a.lang)
        if future is not None and self._find_umbrella(text[umb[0] : umb[1]]) is None:
            return None  # "… may be signed during the visit": a visit still to come
        start, end = s.start + umb[0], s.start + umb[1]
        phrase = Span(start, end, self.a.body[start:end])
        parent = self._find_umbrella(phrase.text)
        if parent is None:
            parent = self._new(triggers.umbrella_type(phrase.text), phrase)
            parent.umbrella_phrase = phrase
            parent.sentences.append(s.index)
            for o in self.a.orgs:
                if phrase.start <= o.start < phrase.end:
                    parent.orgs.setdefault(o.org.name, []).append(
                        Span(o.start, o.end, self.a.body[o.start : o.end])
                    )
            self._date_for(parent, s, text, umbrella_only=phrase)
        return parent

    def _open_series(self, parent: Draft | None, s: Sentence) -> None:
        """«Провёл ряд двусторонних встреч»: the meetings are told one by one next,
        each taking this sentence's umbrella, and its date when they write none."""
        self.pending_series = True
        self.pending_parent = parent.key if parent else None
        self.pending_date = self._explicit_date(s)
        self.series_drafts = []
        self.current = []

    def _tells_more(
        self,
        s: Sentence,
        text: str,
        trig: triggers.Trigger,
        present: list[int],
        participation: bool,
    ) -> bool:
        """Whether a sentence with an event cue but nobody new tells more of events
        already reported («В ходе переговоров стороны обсудили …»), and if so attach it."""
        others = [p for p in present if p != self.main]
        referenced = [
            d
            for d in self.drafts
            if any(p in d.persons[1:] or (p in d.persons and p != self.main) for p in others)
        ]
        if (trig.nominal or triggers.is_reference(text, self.a.lang)) and (
            referenced or self.current
        ):
            # the earlier events of the people named here (their meetings before their
            # umbrella), else the events being told
            targets = (
                ([d for d in referenced if d.umbrella_phrase is None] or referenced)
                if referenced
                else self.current
            )
            self._attach(targets, s, participation)
            for d in targets:
                for p in present:
                    if p not in d.persons:
                        d.persons.append(p)
            self.current = targets
            return True
        # the main person meeting again, or a bare «встреча» / «подписание»
        again = (
            (not others and trig.type == "meeting" and self.main in present)
            or (not present and trig.type in {"meeting", "signing"} and trig.nominal)
            # "The summit took place at the Congress Center …" after the summit was told
            or (not present and any(d.type == trig.type for d in self.current))
        )
        if self.current and again:
            self._attach(self.current, s, participation)
            return True
        return False

    def _open_events(
        self,
        s: Sentence,
        text: str,
        trig: triggers.Trigger,
        present: list[int],
        new_people: list[int],
        parent: Draft | None,
    ) -> list[Draft]:
        """New events for a sentence: one, or one per new person in a series."""
        trig_span = Span(s.start + trig.start, s.start + trig.end, text[trig.start : trig.end])
        several = (self.pending_series or self._calls(trig_span, new_people)) and len(
            new_people
        ) > 1
        groups = [[p] for p in new_people] if several else [present]
        created = []
        for group in groups:
            d = self._new(trig.type, trig_span)
            d.sentences.append(s.index)
            d.persons = self._main_first(group, trig.type, self._subject(s, trig_span, group))
            if several:
                own = self.a.people[group[0]]
                if own.org:
                    d.orgs.setdefault(own.org, [])
            else:
                self._add_countries(d, s, host_ok=trig.type == "visit")
            self._link_parent(d, parent)
            d.plural = bool(_PLURAL_SIDES.search(text))
            self._date_for(d, s, text)
            created.append(d)
        return created

    def _subject(self, s: Sentence, trig: Span, group: list[int]) -> bool:
        """Whether someone of ``group`` other than the main person is named before the
        event's cue: the sentence's subject («Глава МИД Ермек Кошербаев провёл встречу
        с …» in an article about the President), who meets on their own."""
        named = any(
            m.cluster in group and m.cluster != self.main and s.start <= m.start < trig.start
            for m in self.a.mentions
        )
        # "Beijing signed a treaty …", «Ташкент и Бишкек подписали …»: a state for its
        # capital, right before the cue
        state = any(
            s.start <= m.start and 0 <= trig.start - m.end <= 2
            for m in [*self.a.places, *self.a.countries]
        )
        return named or state

    def _events_of(self, present: list[int]) -> list[Draft]:
        """The events already told, of someone other than the main person named here,
        when these are not the events being told."""
        others = [p for p in present if p != self.main]
        if not others:
            return []
        current = [d for d in self.current if any(p in d.persons for p in others)]
        if current:
            # "In the conversation with the Kazakh President, …" after three calls told
            # together: that one of them
            return current if len(current) < len(self.current) else []
        return [
            d
            for d in self.drafts
            if d.umbrella_phrase is None and any(p in d.persons for p in others)
        ]

    def _calls(self, cue: Span, people: list[int]) -> bool:
        """Whether a phone cue with several people of several states is as many calls
        («поговорил по телефону с президентом Казахстана К.Токаевым, президентом
        Узбекистана Ш.Мирзиёевым и …»): a call is between two; a video conference
        of several is one meeting."""
        phone = "телефон" in cue.text.casefold() or "phone" in cue.text.casefold()
        states = [self.a.people[p].country for p in people]
        return phone and None not in states and len(set(states)) == len(states)

    def _main_first(self, group: list[int], kind: str, subject: bool = False) -> list[int]:
        """The event's people with the article's main person first; the main person
        joins every new event but a visit, and but one with a subject of its own."""
        persons = list(group)
        if self.main is not None and self.main not in persons and kind != "visit" and not subject:
            persons.insert(0, self.main)
        elif self.main in persons:
            persons.remove(self.main)
            persons.insert(0, self.main)
        return persons

    def _link_parent(self, d: Draft, parent: Draft | None) -> None:
        """The umbrella of a new event: the sentence's own, the series', or a
        multi-day visit of the same people."""
        if self.pending_series:
            d.parent = self.pending_parent
        if parent is not None and parent is not d:
            d.parent = parent.key
        if d.parent is None:
            d.parent = self._container_for(d)

    def _container_for(self, d: Draft) -> str | None:
        for other in reversed(self.drafts):
            if other is d:
                continue
            ranged = other.date and other.date[0] != other.date[1]
            if other.type == "visit" and ranged and set(d.persons) & set(other.persons):
                return other.key
        return None

    # ------------------------------------------------------------ dates
    def _range_date(self, s: Sentence):
        """The first range of days written in the sentence."""
        return self._written_date(s, lambda m: m.is_range and m.precision == "day")

    def _explicit_date(self, s: Sentence):
        """The first date phrase written in the sentence."""
        return self._written_date(s, lambda m: True)

    def _written_date(self, s: Sentence, wanted):
        """The first date phrase of the sentence that is ``wanted``, as a draft's date."""
        for m in self.a.dates:
            if s.start <= m.start < s.end and wanted(m):
                span = Span(m.start, m.end, self.a.body[m.start : m.end])
                return (m.start_date, m.end_date, m.precision, m.source, span)
        return None

    def _date_for(
        self, d: Draft, s: Sentence, text: str, umbrella_only: Span | None = None
    ) -> None:
        """Date an event from its sentence, else from what the article said before,
        else the publication day. An umbrella named only in passing
        (``umbrella_only``) takes no date anchored on another event."""
        d.date = self._sentence_date(d, s, text, umbrella_only) or self._context_date(d, s)

    def _sentence_date(self, d: Draft, s: Sentence, text: str, umbrella_only: Span | None):
        """Days written in the sentence (a weekday read inside the event's multi-day
        umbrella), else a day anchored on another event, else a month written there."""
        explicit = self._explicit_date(s)
        if d.type == "visit":
            # «сегодня провёл переговоры с …, который находится с визитом 19–20 ноября»:
            # the visit is the range
            explicit = self._range_date(s) or explicit
        if explicit is not None and explicit[2] == "day":
            if explicit[3] == "relative":
                explicit = self._weekday_in_range(d, s, explicit)
            return explicit
        if umbrella_only is None:
            anchored = self._anchored_date(d, s, text)
            if anchored is not None:
                return anchored
        return explicit

    def _context_date(self, d: Draft, s: Sentence):
        """The date of a sentence that writes none: a series' date, the paragraph's,
        the single day of the event told before, or the publication day."""
        if self.pending_date is not None and (
            self.pending_series or (d.parent == self.pending_parent and d.parent)
        ):
            return self.pending_date
        context = self._paragraph_date(s)
        if context is not None:
            return context
        previous = [
            x
            for x in self.drafts
            if x is not d and x.date is not None and x.umbrella_phrase is None
        ]
        if previous:
            prev = previous[-1].date
            if prev[0] == prev[1] and prev[3] != "published":
                return (prev[0], prev[1], prev[2], prev[3], None)
        parent = next((x for x in self.drafts if x.key == d.parent), None)
        if parent is not None and parent.date is not None and parent.date[3] != "published":
            # the last day written since the visit began and within it ("An official
            # welcoming ceremony took place today. … then held talks")
            since = self.a.sentences[min(parent.sentences)].start if parent.sentences else 0
            for m in reversed(self.a.dates):
                if since <= m.start < s.start and m.precision == "day" and not m.is_range:
                    if parent.date[0] <= m.start_date <= parent.date[1]:
                        return (m.start_date, m.end_date, m.precision, m.source, None)
                    break
            # an event of a visit «2–3 марта» the text gives no day of: the visit's first
            # day, not the publication's
            return (parent.date[0], parent.date[0], "day", parent.date[3], None)
        pub = self.a.published
        return (pub, pub, "day", "published", None)

    def _paragraph_date(self, s: Sentence):
        """The last single-day date written earlier in the same paragraph:
        «Заседание состоялось 10 октября. В нём приняли участие …»."""
        body = self.a.body
        para_start = body.rfind("\n", 0, s.start) + 1
        for m in reversed(self.a.dates):
            if m.start >= s.start:
                continue
            if m.start < para_start:
                break
            if m.precision == "day" and not m.is_range:
                return (m.start_date, m.end_date, m.precision, m.source, None)
            break
        return None

    def _ranged_drafts(self, d: Draft) -> list[Draft]:
        return [
            x for x in self.drafts if x is not d and x.date is not None and x.date[0] != x.date[1]
        ]

    def _weekday_in_range(self, d: Draft, s: Sentence, explicit):
        """«Во вторник» inside a multi-day visit: the Tuesday of the visit, even
        when the article appears more than a week later."""
        mention = next(
            (m for m in self.a.dates if s.start <= m.start < s.end and m.weekday is not None),
            None,
        )
        if mention is None or explicit[4] is None or mention.start != explicit[4].start:
            return explicit
        parent = next((x for x in self.drafts if x.key == d.parent), None)
        ranges = [parent] if parent is not None and parent.date else self._ranged_drafts(d)[-1:]
        for r in ranges:
            first, last = r.date[0], r.date[1]
            if first == last or first <= explicit[0] <= last:
                continue
            # Counted from the first day, never a step past the last (9999-12-31 has no next).
            for offset in range((last - first).days + 1):
                day = first + dt.timedelta(days=offset)
                if day.weekday() == mention.weekday and day <= self.a.published:
                    return (day, day, explicit[2], explicit[3], explicit[4])
        return explicit

    def _anchored_date(self, d: Draft, s: Sentence, text: str):
        """«Днём ранее», «в первый день визита», "the previous day": a date
        taken from the event the phrase points at."""
        found = anchored_phrases(text, self.a.lang)
        if not found:
            return None
        anchor = found[0]
        target = self._anchor_target(d, s, anchor)
        if target is None or target.date is None:
            return None
        day = resolve_anchor(anchor, target.date[0], target.date[1])
        if day is None:
            return None
        span = Span(s.start + anchor.start, s.start + anchor.end, text[anchor.start : anchor.end])
        return (day, day, "day", "relative", span)

    def _anchor_target(self, d: Draft, s: Sentence, anchor) -> Draft | None:
        dated = [
            x
            for x in self.drafts
            if x is not d and x.date is not None and x.sentences and min(x.sentences) <= s.index
        ]
        if not dated:
            return None
        if anchor.noun:
            named = [x for x in dated if _draft_matches(x, anchor.noun)]
            if anchor.kind == "ordinal":
                named = [x for x in named if x.date[0] != x.date[1]] or named
            if named:
                return max(named, key=lambda x: min(x.sentences))
        if anchor.kind == "ordinal":
            parent = next((x for x in dated if x.key == d.parent), None)
            if parent is not None and parent.date[0] != parent.date[1]:
                return parent
            ranged = [x for x in dated if x.date[0] != x.date[1]]
            return max(ranged, key=lambda x: min(x.sentences)) if ranged else None
        # the event told just before: the latest one, a single day preferred
        single = [x for x in dated if x.date[0] == x.date[1]]
        pool = single or dated
        return max(enumerate(pool), key=lambda t: (min(t[1].sentences), t[0]))[1]


_ANCHOR_NOUN = re.compile(
    r"(заседани|саммит|форум|конференци|сесси|совещани|визит|съезд|встреч|переговор|бесед"
    r"|подписа|summit|forum|conference|session|meeting|talks|visit|council|assembly|sign)",
    re.I,
)
_NOUN_ALIASES = {"переговор": "встреч", "бесед": "встреч", "talks": "meeting", "сесси": "заседани"}


def _anchor_noun(text: str) -> str | None:
    m = _ANCHOR_NOUN.search(text)
    if m is None:
        return None
    stem = m.group(1).casefold()
    return _NOUN_ALIASES.get(stem, stem)


def _draft_matches(d: Draft, noun: str) -> bool:
    """Whether the event noun of an anchored phrase («накануне заседания») names draft ``d``."""
    stem = _anchor_noun(noun)
    if stem is None:
        return False
    for span in (d.umbrella_phrase, d.trigger):
        if span is not None and _anchor_noun(span.text) == stem:
            return True
    kind = triggers.umbrella_type(noun)
    return kind in {"summit", "conference", "visit"} and d.type == kind


def _in_chain(a: Analysis, c) -> bool:
    """«Туркменистан – Афганистан – Пакистан – Индия»: a route or project name."""
    toks = a.tokens
    dashes = {"–", "—", "-"}
    before = c.token_index >= 2 and toks[c.token_index - 1].text in dashes
    after = c.token_end + 1 < len(toks) and toks[c.token_end].text in dashes
    if not (before or after):
        return False
    neighbours = set()
    if before:
        neighbours.add(toks[c.token_index - 2].end)
    if after:
        neighbours.add(toks[c.token_end + 1].start)
    return any(o.end in neighbours or o.start in neighbours for o in [*a.countries, *a.orgs])


# The noun an umbrella phrase is known by («в рамках визита» → визит).
_UMBRELLA_NOUN = re.compile(
    r"(заседани|саммит|форум|конференци|сесси|совещани|визит|съезд|session|summit|forum"
    r"|conference|meeting|visit|council|assembly)",
    re.I,
)


def _event_noun(phrase: str) -> str:
    m = _UMBRELLA_NOUN.search(phrase)
    return m.group(1).casefold() if m else norm(phrase)


# ---------------------------------------------------------------- venues


# ---------------------------------------------------------------- output


def _entity_person(a: Analysis, idx: int, d: Draft, role: str = "participant") -> FoundEntity:
    person: Person = a.people[idx]
    spans = [
        Span(m.start, m.end, a.body[m.start : m.end])
        for m in person.mentions
        if any(a.sentences[i].start <= m.start < a.sentences[i].end for i in d.sentences)
    ] or [Span(m.start, m.end, a.body[m.start : m.end]) for m in person.mentions[:1]]
    return FoundEntity(
        kind="person",
        name=person.name,
        aliases=list(person.aliases),
        country=person.country,
        role=role,
        position=person.position.text if person.position else None,
        mentions=spans,
    )


def _finish(
    a: Analysis, d: Draft, topic_cache: dict, institutions: list[tuple[int, int]]
) -> FoundEvent:
    """The event handed back for a draft."""
    codes = _country_codes(a, d)
    org_names = _org_names(a, d)
    roles = event_roles(a, d)
    participants = [
        *(_entity_person(a, i, d, roles.get(i, "participant")) for i in d.persons),
        *(_entity_country(a.lang, code, d) for code in codes),
        *(e for e in (_entity_org(a.lang, name, d) for name in org_names) if e is not None),
    ]
    topic_spans = _topic_spans(a, d, topic_cache, institutions)
    topics = [
        "diplomacy",
        *[t for t in topic_rules.vocabulary() if t in topic_spans and t != "diplomacy"],
    ]
    start, end, precision, source, mention = d.date
    kind = _event_type(d, sides=len(codes) + len(org_names))
    return FoundEvent(
        key=d.key,
        title=_title(a, d, kind),
        type=kind,
        start_date=start,
        end_date=end,
        date_precision=precision,
        date_source=source,
        date_mention=mention,
        venue=d.venue,
        participants=participants,
        topics=topics,
        topic_mentions={k: v for k, v in topic_spans.items() if k in topics},
        type_mention=d.trigger,
        title_mention=d.umbrella_phrase,
        parent_key=d.parent,
        confidence=scored.confidence(d, kind, source),
    )


def _country_codes(a: Analysis, d: Draft) -> list[str]:
    """States taking part: those named in the event's sentences, then those of its people."""
    codes = list(d.countries)
    for i in d.persons:
        code = a.people[i].country
        if code and code not in codes:
            codes.append(code)
    return codes


def _org_names(a: Analysis, d: Draft) -> list[str]:
    """Organisations taking part: those named, then those its people represent."""
    names = list(d.orgs)
    for i in d.persons:
        org = a.people[i].org
        if org and org not in names:
            names.append(org)
    return names


def _entity_country(lang: str, code: str, d: Draft) -> FoundEntity:
    ru, en = country_names.names(code)
    name, alias = (ru, en) if lang == "ru" else (en, ru)
    return FoundEntity(
        kind="country",
        name=name,
        aliases=[alias],
        country=code,
        mentions=d.countries.get(code, []),
    )


def _entity_org(lang: str, name: str, d: Draft) -> FoundEntity | None:
    org = org_data.by_name(name)
    if org is None:
        return None
    shown = org.name_ru if lang == "ru" else org.name
    return FoundEntity(
        kind="organization",
        name=shown,
        aliases=[x for x in org.aliases if x != shown],
        country=org.country,
        mentions=d.orgs.get(name, []),
    )


def _topic_spans(
    a: Analysis, d: Draft, cache: dict, institutions: list[tuple[int, int]]
) -> dict[str, list[Span]]:
    """Topic evidence in the event's sentences. An umbrella seen only in the sentence
    that names it in passing («на полях форума …») reads its phrase alone: the rest of
    that sentence is its sub-event's. ``cache`` keeps the topics of a text range for
    the other events that share it."""
    ranges = [(a.sentences[i].start, a.sentences[i].end) for i in sorted(d.sentences)]
    if d.umbrella_phrase is not None and len(d.sentences) <= 1:
        ranges = [(d.umbrella_phrase.start, d.umbrella_phrase.end)]
    topic_spans: dict[str, list[Span]] = {}
    for r in ranges:
        if r not in cache:
            cache[r] = topic_rules.find(a.body, [r])
        for slug, spans in cache[r].items():
            # "the University of World Economy and Diplomacy" is no talk of the economy
            kept = [sp for sp in spans if not any(s <= sp.start < e for s, e in institutions)]
            if kept:
                topic_spans.setdefault(slug, []).extend(kept)
    return topic_spans


def _event_type(d: Draft, sides: int) -> str:
    """A meeting is bilateral between two sides, multilateral with more."""
    if d.type != "meeting":
        return d.type
    many = sides > 2 or len(d.persons) > 2 or d.plural
    return "multilateral-meeting" if many else "bilateral-meeting"


def _title(a: Analysis, d: Draft, kind: str) -> str:
    """An umbrella's own name in the nominative («32-е заседание СМИД ОБСЕ»), else a
    headline of the type and the people («Переговоры Ермека Кошербаева и Сергея
    Лаврова»)."""
    if d.umbrella_phrase is not None:
        return headlines.nominative_phrase(d.umbrella_phrase.text, a.lang)
    return headlines.headline(kind, [a.people[i].name for i in d.persons], a.lang)


def _span_visits(drafts: list[Draft]) -> None:
    """A visit the text gives no days of spans the dated events of its visitor told
    after it ("who arrived in Tashkent on his first official visit", then talks on
    Tuesday and Wednesday), which become its parts; never the publication day."""
    for visit in drafts:
        if visit.type != "visit" or visit.date is None or visit.date[3] != "published":
            continue
        parts = [
            d
            for d in drafts
            if d is not visit
            and d.date is not None
            and d.date[3] in {"text", "relative"}
            and d.parent in (None, visit.key)
            and min(d.sentences, default=-1) >= min(visit.sentences, default=0)
            and set(d.persons) & set(visit.persons)
        ]
        if not parts:
            continue
        first = min(d.date[0] for d in parts)
        last = max(d.date[1] for d in parts)
        visit.date = (first, last, "day", "relative", None)
        for d in parts:
            d.parent = visit.key


def build(a: Analysis) -> list[FoundEvent]:
    """Assemble the events of an analysed article."""
    drafts = _Builder(a).run()
    keep = {d.key for d in drafts}
    by_key = {d.key: d for d in drafts}
    for d in drafts:
        if d.parent not in keep:
            d.parent = None
    _span_visits(drafts)
    # umbrellas first so children inherit their venue
    for d in sorted(drafts, key=lambda x: x.parent is not None):
        d.venue, d.venue_country = venue_of(a, d, by_key)
    cache: dict = {}
    institutions = topic_rules.institution_names(a.body, a.lang)
    return [_finish(a, d, cache, institutions) for d in drafts]
