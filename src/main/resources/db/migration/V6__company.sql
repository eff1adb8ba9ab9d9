-- Multi-company routing (companyFrom: subfolder | name:<pattern>): the legal entity (D365 DataAreaId) each file was
-- sent to, recorded on claim; NULL for rows from before (and for files that named no company). Jobs that take the
-- company per file also tell files apart by it (inbox/USMF/a.csv and inbox/DEMF/a.csv are two files): their claim key
-- is "<job>/<company>/<file name>". Portable SQL (H2 2.x and PostgreSQL 15).
ALTER TABLE rip_import_journal ADD COLUMN IF NOT EXISTS company VARCHAR(20);
