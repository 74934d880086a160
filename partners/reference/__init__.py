"""Reference lists: the tenant's vocabularies and keeping them."""
