-- Version 5: edition similarity counts changed words by an exact longest common subsequence
-- (rapidfuzz's Indel distance) instead of difflib's matching blocks, which undercount what
-- two rewritten texts share. Rows stored before this version keep their difflib values until
-- their pair of editions is diffed again.

COMMENT ON COLUMN edition_similarity.similarity IS 'Word-sequence similarity of the two texts, 0 (nothing shared) to 1 (identical): 2 x (longest common subsequence of content words) / (old_words + new_words).';
COMMENT ON COLUMN edition_similarity.changed_words IS 'Content words inserted or deleted by the shortest edit from the old text to the new (old_words + new_words - 2 x the longest common subsequence): the size of the change, used to sort organizations.';
