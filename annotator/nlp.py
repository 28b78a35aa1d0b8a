"""natasha models (NER for Russian), loaded once and only on demand."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.text import pieces

# natasha tags a text as one sequence, its memory growing with it: a 400 KB body with no
# sentence end took 1.96 GB (issue 14). It is given pieces of at most this many characters:
# an article of a few paragraphs is still read whole (the gold set's longest has 2,874),
# and each piece costs a call of the tagger.
PIECE_LENGTH = 5_000


@dataclass(frozen=True)
class NerSpan:
    start: int
    stop: int
    type: str


class RussianNER:
    """natasha's news NER: embeddings + tagger, nothing downloaded."""

    def __init__(self) -> None:
        from natasha import NewsEmbedding, NewsNERTagger

        self._tagger = NewsNERTagger(NewsEmbedding())

    def spans(self, text: str) -> list[NerSpan]:
        """Named entities of ``text``, found piece by piece (see :func:`annotator.text.pieces`).

        The tagger is called as ``natasha.Doc.tag_ner`` calls it, on the text alone: a Doc's
        segmentation is not read by it."""
        out = []
        for start, end in pieces(text, PIECE_LENGTH):
            found = self._tagger(text[start:end]).spans
            out.extend(NerSpan(start + s.start, start + s.stop, s.type) for s in found)
        return out
