"""HTTP machinery shared by the resources: the blueprint, errors, paging, formats,
conditional requests, compression, security and keys. Uses the store; never a resource."""
