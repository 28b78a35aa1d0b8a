"""Operations beside the API: ingest, export and import, fixtures, synthetic data."""
