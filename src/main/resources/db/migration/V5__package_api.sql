-- Which D365 API an import row belongs to, so the status monitor asks the right endpoint: 'connector' (recurring
-- integrations: enqueue answered a message id, asked with jobstatus) or 'package-api' (data management package API:
-- ImportFromPackage answered an execution id, asked with GetExecutionSummaryStatus). Every earlier row is a connector
-- row. Portable SQL (H2 2.x and PostgreSQL 15). V4 is left to another change.
ALTER TABLE rip_import_journal ADD COLUMN IF NOT EXISTS d365_api VARCHAR(20) DEFAULT 'connector' NOT NULL;
