"""Web Annotations (W3C): the evidence of an event, as answered."""

from marshmallow import Schema, fields


class SelectorSchema(Schema):
    type = fields.String(
        metadata={"enum": ["TextQuoteSelector", "TextPositionSelector", "FragmentSelector"]}
    )
    exact = fields.String(metadata={"description": "TextQuoteSelector: the quoted text."})
    prefix = fields.String(metadata={"description": "TextQuoteSelector: the text before."})
    suffix = fields.String(metadata={"description": "TextQuoteSelector: the text after."})
    start = fields.Integer(metadata={"description": "TextPositionSelector: code point offset."})
    end = fields.Integer(metadata={"description": "TextPositionSelector: end, exclusive."})
    conformsTo = fields.String(metadata={"description": "FragmentSelector: JSON Pointer."})
    value = fields.String(metadata={"description": "FragmentSelector: `/title`."})
    refinedBy = fields.List(fields.Dict(), metadata={"description": "FragmentSelector only."})


class TargetSchema(Schema):
    source = fields.String(metadata={"description": "The article as this API serves it."})
    scope = fields.String(metadata={"description": "The article's original URL, if known."})
    selector = fields.List(fields.Nested(SelectorSchema))


class AnnotationBodySchema(Schema):
    id = fields.String(metadata={"description": "The event or entity the span is about."})
    type = fields.String(metadata={"example": "TextualBody"})
    purpose = fields.String(metadata={"enum": ["tagging", "linking", "identifying"]})
    value = fields.String(metadata={"description": "With `tagging`: the fact, e.g. `venue`."})


class AnnotationSchema(Schema):
    id = fields.String()
    type = fields.String(metadata={"example": "Annotation"})
    motivation = fields.String(metadata={"enum": ["identifying", "classifying", "describing"]})
    body = fields.List(fields.Nested(AnnotationBodySchema))
    target = fields.Nested(TargetSchema)


class AnnotationPageSchema(Schema):
    id = fields.String()
    type = fields.String(metadata={"example": "AnnotationPage"})
    startIndex = fields.Integer()
    items = fields.List(fields.Nested(AnnotationSchema))


class AnnotationCollectionSchema(Schema):
    context = fields.String(
        data_key="@context", metadata={"example": "http://www.w3.org/ns/anno.jsonld"}
    )
    id = fields.String()
    type = fields.String(metadata={"example": "AnnotationCollection"})
    label = fields.String()
    total = fields.Integer()
    first = fields.Nested(AnnotationPageSchema)
