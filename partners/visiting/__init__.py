"""The first visit as the playbook runs it: preparation, the script, key partners' leadership meeting."""
