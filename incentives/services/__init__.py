"""Use cases that write incentives' data; each is atomic and audited where sensitive."""
