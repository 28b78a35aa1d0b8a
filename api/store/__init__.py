"""The data layer: the database, the model, migrations, filters, names, search and the
event queries. Knows nothing of HTTP, the resources or the schemas."""
