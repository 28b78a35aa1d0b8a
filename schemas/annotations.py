"""Web Annotations (W3C): the evidence of an event, as answered."""

from marshmallow import Schema, fields

from schemas.common import enum_doc

_EVENT = "http://127.0.0.1:8000/v1/events/2"


class SelectorSchema(Schema):
    type = fields.String(
        metadata={
            **enum_doc(
                "The kind of selector:",
                {
                    "TextQuoteSelector": "the span's text with some context",
                    "TextPositionSelector": "the span's offsets",
                    "FragmentSelector": "the part of the article (its title)",
                },
                enum=True,
            ),
            "example": "TextQuoteSelector",
        }
    )
    exact = fields.String(
        metadata={
            "description": "TextQuoteSelector: the quoted text.",
            "example": "Министр иностранных дел Казахстана Ермек Кошербаев",
        }
    )
    prefix = fields.String(
        metadata={
            "description": "TextQuoteSelector: the text before.",
            "example": "CentralAsia (KZ) - ",
        }
    )
    suffix = fields.String(
        metadata={
            "description": "TextQuoteSelector: the text after.",
            "example": " принял участие во встрече глав ",
        }
    )
    start = fields.Integer(
        metadata={"description": "TextPositionSelector: code point offset.", "example": 19}
    )
    end = fields.Integer(
        metadata={"description": "TextPositionSelector: end, exclusive.", "example": 69}
    )
    conformsTo = fields.String(
        metadata={
            "description": "FragmentSelector: JSON Pointer.",
            "example": "http://tools.ietf.org/rfc/rfc6901",
        }
    )
    value = fields.String(
        metadata={"description": "FragmentSelector: `/title`.", "example": "/title"}
    )
    refinedBy = fields.List(
        fields.Dict(),
        metadata={
            "description": "FragmentSelector only: the span within the title.",
            "example": [{"type": "TextPositionSelector", "start": 2, "end": 6}],
        },
    )


class TargetSchema(Schema):
    type = fields.String(
        metadata={"description": "Always `SpecificResource`.", "example": "SpecificResource"}
    )
    source = fields.String(
        metadata={
            "description": "The article as this API serves it.",
            "example": "http://127.0.0.1:8000/v1/articles/1",
        }
    )
    scope = fields.String(
        metadata={
            "description": "The article's original URL, if known.",
            "example": "https://example.org/news/1",
        }
    )
    selector = fields.List(
        fields.Nested(SelectorSchema), metadata={"description": "Ways to find the span."}
    )


class AnnotationBodySchema(Schema):
    type = fields.String(
        metadata={
            **enum_doc(
                "The kind of body:",
                {
                    "TextualBody": "a tag naming the fact (`value`)",
                    "SpecificResource": "a link to the event or entity (`source`)",
                },
                enum=True,
            ),
            "example": "TextualBody",
        }
    )
    source = fields.String(
        metadata={
            "description": "SpecificResource: the event or entity the span is about.",
            "example": _EVENT,
        }
    )
    purpose = fields.String(
        metadata={
            **enum_doc(
                "What the body does:",
                {
                    "tagging": "names the fact supported",
                    "linking": "points at the event",
                    "identifying": "points at the entity named",
                },
                enum=True,
            ),
            "example": "tagging",
        }
    )
    value = fields.String(
        metadata={
            "description": "With `tagging`: the fact, e.g. `venue`.",
            "example": "participant",
        }
    )


class AnnotationSchema(Schema):
    id = fields.String(
        metadata={"description": "The annotation's URL.", "example": _EVENT + "/annotations#6"}
    )
    type = fields.String(metadata={"description": "Always `Annotation`.", "example": "Annotation"})
    motivation = fields.String(
        metadata={
            **enum_doc(
                "Why the span is marked:",
                {
                    "identifying": "it names a participant or the venue",
                    "classifying": "it gives a topic",
                    "describing": "it gives the title, type or date",
                },
                enum=True,
            ),
            "example": "identifying",
        }
    )
    body = fields.List(
        fields.Nested(AnnotationBodySchema), metadata={"description": "What the span says."}
    )
    target = fields.Nested(TargetSchema, metadata={"description": "Where the span is."})


class AnnotationPageSchema(Schema):
    id = fields.String(
        metadata={"description": "The page's URL.", "example": _EVENT + "/annotations#page"}
    )
    type = fields.String(
        metadata={"description": "Always `AnnotationPage`.", "example": "AnnotationPage"}
    )
    startIndex = fields.Integer(
        metadata={"description": "Position of the first item (0).", "example": 0}
    )
    items = fields.List(
        fields.Nested(AnnotationSchema), metadata={"description": "The annotations."}
    )


class AnnotationCollectionSchema(Schema):
    context = fields.String(
        data_key="@context",
        metadata={
            "description": "The Web Annotation JSON-LD context.",
            "example": "http://www.w3.org/ns/anno.jsonld",
        },
    )
    id = fields.String(
        metadata={"description": "The collection's URL.", "example": _EVENT + "/annotations"}
    )
    type = fields.String(
        metadata={
            "description": "Always `AnnotationCollection`.",
            "example": "AnnotationCollection",
        }
    )
    label = fields.String(
        metadata={"description": "A title for people.", "example": "Evidence of event 2"}
    )
    total = fields.Integer(metadata={"description": "How many annotations.", "example": 16})
    first = fields.Nested(
        AnnotationPageSchema, metadata={"description": "The one page, with every annotation."}
    )
