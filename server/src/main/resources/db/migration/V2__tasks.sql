-- The shared task queue of a cluster (PostgreSQL store). The embedded mode keeps its tasks in memory and leaves
-- this table empty; the migration is the same on both so that one schema serves every mode.

-- Task ids below 2^53 (PROTOCOL.md 3.1), unique across every node without any node numbering.
CREATE SEQUENCE task_id_seq START WITH 1000000 INCREMENT BY 1 MAXVALUE 9007199254740991;

CREATE TABLE task (
    id            BIGINT PRIMARY KEY,
    account_id    BIGINT NOT NULL REFERENCES account (id),
    key_prefix    VARCHAR(16) NOT NULL,
    type          VARCHAR(64) NOT NULL,          -- TaskType name
    spec          VARCHAR NOT NULL,              -- the TaskSpec as JSON; holds the proxy password a solver needs
    price         BIGINT NOT NULL,
    callback_url  VARCHAR(2048),
    state         VARCHAR(16) NOT NULL,          -- QUEUED, SOLVING, READY, FAILED
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    deadline      TIMESTAMP WITH TIME ZONE NOT NULL,
    claimed_by    VARCHAR(200),                  -- the solver node holding it while SOLVING
    lease_until   TIMESTAMP WITH TIME ZONE,      -- its claim lapses then unless renewed
    attempts      INTEGER NOT NULL DEFAULT 0,    -- claims so far; a task is claimed at most twice
    solving_since TIMESTAMP WITH TIME ZONE,
    solution      VARCHAR,                       -- READY: the Solution as JSON
    fail_reason   VARCHAR(32),                   -- FAILED: the FailReason name
    fail_text     VARCHAR(500),                  -- FAILED: what the client reads
    ended_at      TIMESTAMP WITH TIME ZONE
);

-- Claims take the oldest queued task; sweeps look for lapsed deadlines and leases.
CREATE INDEX task_queued ON task (state, created_at);
CREATE INDEX task_deadline ON task (state, deadline);
CREATE INDEX task_claimed_by ON task (claimed_by);

-- The nodes of a cluster: what each solves and how many at a time, so API nodes accept only task types some
-- live solver node supports and getQueueStats reports the whole cluster.
CREATE TABLE cluster_node (
    name          VARCHAR(200) PRIMARY KEY,
    role          VARCHAR(16) NOT NULL,          -- serve, api, solver
    types         VARCHAR(500) NOT NULL,         -- TaskType names, comma-separated
    workers       INTEGER NOT NULL,
    draining      BOOLEAN NOT NULL DEFAULT FALSE,
    started_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    seen_at       TIMESTAMP WITH TIME ZONE NOT NULL
);
