"""Personal data: find everything a tenant stores about one person, export it as JSON, erase it,
and keep it no longer than the tenant's retention settings say.

The map of personal data (what ``records`` reads and ``erasure`` rewrites; one tenant at a time):

=========================  ==========================================  ===========================
where                      what names or reaches the person            on erasure
=========================  ==========================================  ===========================
partners.Contact           name, role, e-mail, phone                   anonymised (row kept)
partners.PartnerUser +     the membership (role, partner), the user:   membership deactivated;
tenancy.Membership +       username, first/last name, e-mail,          the account anonymised and
auth.User                  last login, date joined                     its sign-in made impossible
                                                                       when no other tenant has it
onboarding.Application     contact name, e-mail, phone, "why us",      anonymised (company kept)
                           lines carried, the sender's address
leads.Lead                 the customer contact's name, e-mail, phone  contact fields blanked
scorecards.                the end customer's e-mail (service          e-mail blanked, consent off
ProductRegistration        reminders) and consent
partners.Visit, Objection  summaries, next steps and notes naming      mentions replaced
                           the person (by name or e-mail)
partners.Partner.referrer  "referred by" naming the person             mention replaced
onboarding.Agreement       signatories naming the person; the          mentions replaced; files
                           document a user uploaded                    the person uploaded deleted
prm.audit.AuditEntry       rows the person did (actor), rows about     values naming the person
                           their records, values naming them           replaced (rows kept)
prm.webhooks.Event         event payloads naming the person (the       mentions replaced
                           deliveries send these payloads)
prm.notifications.         the user's notification choices             deleted
NotificationPreference
prm.notifications.         copies of e-mails sent to the address       deleted
SentEmail                  (the mail store)
prm.jobs.Job, deals, MDF   what the user asked for, registered or      exported; kept, pointing at
requests, payout records   requested (``requested_by``, ...)           the anonymised user
=========================  ==========================================  ===========================

Left alone: ``notifications.UnsentEmail`` holds a message at most ``PRM_EMAIL_UNSENT_KEEP_HOURS``
while the job queue is down and belongs to no tenant. API tokens end by themselves when the
membership is deactivated or the password made unusable (``prm.apitokens.receivers``).

Money stays as it was: sales, payout runs and lines, payments and MDF claims name partners, not
people, and the few user links they have (who approved, who registered) still resolve to the
same, anonymised, user row, so totals do not change and "what was paid on" still resolves.

Modules: ``subject`` (who the person is), ``records`` (where their data lives), ``export``,
``erasure`` (the erase service and its refusals), ``redaction`` (mentions in text and JSON),
``retention`` (the daily job's work), ``programme``/``programme_section`` (the retention settings),
``views``/``api`` (the admin's page and the API).
"""
