"""Surveys sent from the product (issue #35, part 1).

- **Customer surveys**: after a registered product or a won deal (``programme.py``: which, after
  how many days), the daily job e-mails the end customer (where it agreed to be contacted) one
  question, 0–10 with an optional comment, in the customer's language and in the partner's name.
  The answer comes through a signed, single-use link (``tokens.py``, ``/survey/<token>/``) and
  becomes a ``scorecards.SatisfactionResult``, which feeds the partner's NPS KPI.
- **Partner surveys**: the vendor asks the partners' own people about the programme (a round:
  "recommend the programme?" 0–10 plus up to five questions). Results per tier, region and
  operating model, anonymous below the tenant's minimum group size (``results.py``).

Surveys sits above scorecards and partners in the one-way order of apps: it imports them, they
never import surveys (its pages appear through plugs, ``plugs.py``).
"""
