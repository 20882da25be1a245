-- Version 9: one vocabulary of change (issue 30). Each event says its family (appeared,
-- vanished, grew, shrank, unchanged), so kinds that belong together filter together
-- (`family = 'vanished'` finds the sections still mentioned too), and its change in words
-- that never contradict the counts beside them (warehouse/diff/change_vocabulary.py,
-- docs/changes.md). Rows stored before are given their family; their detail is the plain
-- word until their diff is stored again.

ALTER TABLE change_events ADD COLUMN family VARCHAR;
ALTER TABLE change_events ADD COLUMN change_detail VARCHAR;
UPDATE change_events SET family = CASE change
    WHEN 'appeared' THEN 'appeared' WHEN 'first_named' THEN 'appeared' WHEN 'added' THEN 'appeared'
    WHEN 'vanished' THEN 'vanished' WHEN 'section_vanished_still_mentioned' THEN 'vanished'
    WHEN 'no_longer_named' THEN 'vanished' WHEN 'removed' THEN 'vanished'
    WHEN 'grew' THEN 'grew' WHEN 'shrank' THEN 'shrank'
    ELSE 'unchanged' END;
UPDATE change_events SET change_detail = replace(change, '_', ' ');
COMMENT ON COLUMN change_events.family IS 'appeared, vanished, grew, shrank or unchanged: the family of `change` (first_named and added are appeared; section_vanished_still_mentioned, no_longer_named and removed are vanished; renamed is unchanged), by the vocabulary of docs/changes.md.';
COMMENT ON COLUMN change_events.change_detail IS 'The change in words that never contradict the counts: the change''s words, and when paragraphs and words (or the count and the share) moved apart, how ("shrank: more paragraphs, smaller share of the section").';

-- A section that covers several organizations (2018's joint chapter on the OPCW and the
-- CTBTO Preparatory Commission) is one section event, its subject the heading key; the
-- organizations it covers are listed here.
ALTER TABLE change_events ADD COLUMN organization_ids VARCHAR[];
COMMENT ON COLUMN change_events.organization_ids IS 'For an organization (section) event: the organizations the section covers, one for an organization''s own section, two or more for a joint chapter (whose subject is its heading key); empty for other kinds.';
