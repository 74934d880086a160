"""A sale is converted when it is booked: ``rate`` and ``converted`` kept with it.

The database sets both, BEFORE INSERT OR UPDATE OF amount, currency, date on ``partners_sale``
(a row trigger), so every way a sale is written converts it: the services, the CSV import, the demo
seed, the bench's ``INSERT … SELECT``, COPY. The rule is the one every computation applied at read
time until now (``prm.currency.conversion`` before this migration): the tenant's own currency is 1;
any other takes the tenant's latest rate on or before the sale's date; without one, both are NULL
(the sale is "unconverted", and the computations report it as before).

The trigger runs as whoever writes (no SECURITY DEFINER): the web role, bound by row-level security,
reads only the rates of the tenant it writes for, which is the sale's (the policy refuses any other).
A tenant whose currency changes (the operators' admin, on the operations connection) has all its
sales converted again by a second trigger, on ``tenancy_tenant``.

Existing sales are converted in one set-based UPDATE, run by the owner (who migrates) with the
forced row-level security of the two tables lifted for it. Reversed: trigger and function dropped,
then the columns.
"""

from django.db import migrations, models

import prm.currency.fields

#: A sale's rate, for the sale row ``{s}``: 1 in the tenant's currency, else the latest rate on or before its date.
RATE = """CASE WHEN {s}.currency = (SELECT t.currency FROM tenancy_tenant t WHERE t.id = {s}.tenant_id) THEN 1
     ELSE (SELECT r.rate FROM incentives_exchangerate r
           WHERE r.tenant_id = {s}.tenant_id AND r.currency = {s}.currency AND r.date <= {s}.date
           ORDER BY r.date DESC LIMIT 1) END"""

#: ``converted`` is the amount times the rate as found (1 at home, so two decimals; ten through a
#: rate), not times the stored ``rate`` (always eight decimals): sums read as they did at read time.
FUNCTION = f"""
CREATE OR REPLACE FUNCTION partners_sale_convert() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  found numeric;
BEGIN
  found := {RATE.format(s="NEW")};
  NEW.rate := found;
  NEW.converted := NEW.amount * found;
  RETURN NEW;
END $$;
"""

TRIGGER = (
    "CREATE TRIGGER partners_sale_converted BEFORE INSERT OR UPDATE OF amount, currency, date "
    "ON partners_sale FOR EACH ROW EXECUTE FUNCTION partners_sale_convert()"
)

#: A tenant's new currency converts all its sales again (their currency "written" anew fires the above).
TENANT_FUNCTION = """
CREATE OR REPLACE FUNCTION partners_tenant_sales_reconvert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE partners_sale SET currency = currency WHERE tenant_id = NEW.id;
  RETURN NULL;
END $$;
"""

TENANT_TRIGGER = (
    "CREATE TRIGGER partners_tenant_currency_reconverts AFTER UPDATE OF currency ON tenancy_tenant "
    "FOR EACH ROW WHEN (OLD.currency IS DISTINCT FROM NEW.currency) "
    "EXECUTE FUNCTION partners_tenant_sales_reconvert()"
)

BACKFILL = f"""
UPDATE partners_sale AS s SET rate = c.rate, converted = s.amount * c.rate
FROM (SELECT o.id, {RATE.format(s="o")} AS rate FROM partners_sale o) AS c
WHERE c.id = s.id
"""

LIFTED = ["partners_sale", "incentives_exchangerate"]


def convert_sales(apps, schema_editor):
    """Every existing sale converted (one UPDATE), then the trigger that converts every later write."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(FUNCTION)
        for table in LIFTED:
            cursor.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        cursor.execute(BACKFILL)
        for table in LIFTED:
            cursor.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        cursor.execute("DROP TRIGGER IF EXISTS partners_sale_converted ON partners_sale")
        cursor.execute(TRIGGER)
        cursor.execute(TENANT_FUNCTION)
        cursor.execute("DROP TRIGGER IF EXISTS partners_tenant_currency_reconverts ON tenancy_tenant")
        cursor.execute(TENANT_TRIGGER)


def unconvert_sales(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS partners_tenant_currency_reconverts ON tenancy_tenant")
        cursor.execute("DROP FUNCTION IF EXISTS partners_tenant_sales_reconvert()")
        cursor.execute("DROP TRIGGER IF EXISTS partners_sale_converted ON partners_sale")
        cursor.execute("DROP FUNCTION IF EXISTS partners_sale_convert()")


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0026_visit_script_and_plans"),
        ("currency", "0001_exchangerate_from_incentives"),
        ("tenancy", "0002_invitation"),
    ]

    operations = [
        migrations.AddField(
            model_name="sale",
            name="rate",
            field=models.DecimalField(
                blank=True,
                decimal_places=8,
                editable=False,
                max_digits=18,
                null=True,
                verbose_name="exchange rate",
            ),
        ),
        migrations.AddField(
            model_name="sale",
            name="converted",
            field=prm.currency.fields.ConvertedAmountField(
                blank=True,
                decimal_places=10,
                editable=False,
                max_digits=32,
                null=True,
                verbose_name="amount in the programme's currency",
            ),
        ),
        migrations.RunPython(convert_sales, unconvert_sales),
    ]
