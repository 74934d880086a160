"""Portal pages of partners/, split by subject."""
