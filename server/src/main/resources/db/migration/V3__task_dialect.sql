-- The API dialect a task was created in (task/Dialect): its callback's form, and what the status page shows.
ALTER TABLE task ADD COLUMN dialect VARCHAR(16) NOT NULL DEFAULT 'CREATE_TASK';
