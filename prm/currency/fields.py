"""The column a converted amount is kept in."""

from django.db import models


class ConvertedAmountField(models.DecimalField):
    """An amount in the tenant's currency as the database computed it (``amount * rate``), kept as
    PostgreSQL ``numeric`` without a fixed scale: a sale at home keeps its two decimals (its rate is
    1), one converted keeps the ten of ``amount * rate``. Sums of it are then exactly, digit for digit,
    the sums the computations made when they converted at read time (a payout line's volume reads
    ``171528.00``, not ``171528.0000000000``). ``max_digits`` and ``decimal_places`` bound what
    Django validates; the column itself is unconstrained."""

    def db_type(self, connection):
        return "numeric"
