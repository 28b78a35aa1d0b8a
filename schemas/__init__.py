"""marshmallow schemas: what the API takes and answers, and so its OpenAPI document."""
