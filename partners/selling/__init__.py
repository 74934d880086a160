"""Selling through partners: deal registrations, sales and the customers they name."""
