"""natasha models (NER for Russian), loaded once and only on demand."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NerSpan:
    start: int
    stop: int
    type: str


class RussianNER:
    """natasha's news NER: segmenter + embeddings + tagger, nothing downloaded."""

    def __init__(self) -> None:
        from natasha import NewsEmbedding, NewsNERTagger, Segmenter

        self._segmenter = Segmenter()
        self._tagger = NewsNERTagger(NewsEmbedding())

    def spans(self, text: str) -> list[NerSpan]:
        from natasha import Doc

        doc = Doc(text)
        doc.segment(self._segmenter)
        doc.tag_ner(self._tagger)
        return [NerSpan(s.start, s.stop, s.type) for s in doc.spans]
