"""Portal forms of partners/. Validation of the domain stays in the services."""
