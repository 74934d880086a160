"""Approved payout runs are immutable in the database too, whatever SQL tries.

Triggers refuse: any UPDATE or DELETE of a payout line or points entry of a
run that is not a draft, and an INSERT into such a run (corrections are new
lines in a later draft run); any change to an approved run other than its
export (status to ``exported``, ``exported_at``), and its DELETE. The model
layer refuses the same with a clear message first (``ImmutableError``);
these are the wall behind it. PostgreSQL only.
"""

from django.db import migrations

FINAL_RUN = "EXISTS (SELECT 1 FROM incentives_payoutrun r WHERE r.id = {run} AND r.status <> 'draft')"

LINES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION incentives_refuse_final_lines() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.run_id IS NOT NULL AND {FINAL_RUN.format(run="OLD.run_id")} THEN
    RAISE EXCEPTION 'rows of an approved payout run never change (% on %)', TG_OP, TG_TABLE_NAME
      USING ERRCODE = 'restrict_violation';
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.run_id IS NOT NULL AND {FINAL_RUN.format(run="NEW.run_id")} THEN
    RAISE EXCEPTION 'rows of an approved payout run never change (% on %)', TG_OP, TG_TABLE_NAME
      USING ERRCODE = 'restrict_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
"""

RUN_FUNCTION = """
CREATE OR REPLACE FUNCTION incentives_refuse_final_run() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'draft' THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.status <> 'draft'
     AND (to_jsonb(NEW) - 'status' - 'exported_at') = (to_jsonb(OLD) - 'status' - 'exported_at') THEN
    RETURN NEW;  -- the export of an approved run
  END IF;
  RAISE EXCEPTION 'an approved payout run never changes (% of run %)', TG_OP, OLD.id
    USING ERRCODE = 'restrict_violation';
END $$;
"""

TRIGGERS = [
    ("incentives_payoutline", "incentives_refuse_final_lines", "INSERT OR UPDATE OR DELETE"),
    ("incentives_pointsentry", "incentives_refuse_final_lines", "INSERT OR UPDATE OR DELETE"),
    ("incentives_payoutrun", "incentives_refuse_final_run", "UPDATE OR DELETE"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(LINES_FUNCTION, params=None)
    schema_editor.execute(RUN_FUNCTION, params=None)
    for table, function, events in TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_final ON {table}")
        schema_editor.execute(
            f"CREATE TRIGGER {table}_final BEFORE {events} ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, _function, _events in TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_final ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS incentives_refuse_final_lines()")
    schema_editor.execute("DROP FUNCTION IF EXISTS incentives_refuse_final_run()")


class Migration(migrations.Migration):
    dependencies = [("incentives", "0002_alter_mdfclaim_paid_line")]

    operations = [migrations.RunPython(create, drop)]
