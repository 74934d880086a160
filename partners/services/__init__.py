"""Use cases that write partners' data; each is atomic and audited where sensitive."""
