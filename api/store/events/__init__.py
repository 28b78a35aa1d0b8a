"""Events in the store: the list's query, the stored JSON documents, and writes."""
