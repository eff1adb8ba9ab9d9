-- Import journal columns added after 0.1.0: the source's modification time at the claim (with size and SHA-256 it
-- proves a later file is the same one), what D365 was given as x-ms-dyn-externalidentifier (differs from file_name
-- when the name had to be encoded), and when the runner reported the message overdue (rip.status.overdue-after).
-- IF NOT EXISTS: a journal created by the unversioned schema.sql of later snapshots already has some or all of them,
-- and is baselined at version 1 like a 0.1.0 journal (JournalSchema).
ALTER TABLE rip_import_journal ADD COLUMN IF NOT EXISTS source_modified TIMESTAMP;
ALTER TABLE rip_import_journal ADD COLUMN IF NOT EXISTS external_id VARCHAR(1000);
ALTER TABLE rip_import_journal ADD COLUMN IF NOT EXISTS overdue_at TIMESTAMP;
