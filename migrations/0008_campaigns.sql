-- Notification campaigns: one template version sent to one audience on one channel, through the
-- deliveries outbox. Starting a campaign writes every delivery row in one transaction; a worker in
-- the `serve` process sends them (email) or a manager confirms the batch was mailed (letters).

CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    template_version_id INTEGER NOT NULL REFERENCES template_versions (id),
    channel TEXT NOT NULL CHECK (channel IN ('email', 'letter')),
    -- An audience name from `Audience::as_str` ('all', 'with-email', …), fixed when the rows are written.
    audience TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('draft', 'running', 'paused', 'finished', 'cancelled')),
    -- Most deliveries in `sending` at once: also the most a crash can leave in doubt.
    concurrency INTEGER NOT NULL CHECK (concurrency BETWEEN 1 AND 64),
    -- Messages per second; NULL: as fast as the server accepts them.
    rate_per_second INTEGER CHECK (rate_per_second IS NULL OR rate_per_second >= 1),
    -- Messages per sliding hour; NULL: no cap.
    hourly_cap INTEGER CHECK (hourly_cap IS NULL OR hourly_cap >= 1),
    -- Attempts before a temporary failure (4xx, timeout, lost connection) is given up as permanent.
    max_attempts INTEGER NOT NULL CHECK (max_attempts BETWEEN 1 AND 20),
    -- The first retry waits this long; each later one twice as long as the one before.
    retry_after_seconds INTEGER NOT NULL CHECK (retry_after_seconds BETWEEN 1 AND 86400),
    -- Auto-pause when more than this share (percent) of the recent attempts failed.
    pause_above_percent INTEGER NOT NULL CHECK (pause_above_percent BETWEEN 1 AND 100),
    -- 1: send only while the hotline is open, so a customer who calls after reading reaches someone.
    hotline_hours_only INTEGER NOT NULL CHECK (hotline_hours_only IN (0, 1)),
    -- What a restart does with rows left in `sending` by a crash: 'resend' (queue again) or 'hold'
    -- (keep them for a manager to decide).
    in_doubt TEXT NOT NULL CHECK (in_doubt IN ('resend', 'hold')),
    -- Why the worker paused it (error threshold), shown on the progress page; NULL when a person paused it.
    pause_reason TEXT,
    -- The create form's key: a second post of the same form (a double click) finds this row again.
    idempotency_key TEXT UNIQUE,
    created_by INTEGER REFERENCES staff (id),
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX campaigns_by_state ON campaigns (state);

-- NULL for deliveries made outside a campaign (a single letter, a test).
ALTER TABLE deliveries ADD COLUMN campaign_id INTEGER REFERENCES campaigns (id);
-- A failed_temporary row is tried again from this instant on.
ALTER TABLE deliveries ADD COLUMN next_attempt_at TEXT;
-- 1: the row was in `sending` when the server stopped, so the SMTP server may already have it.
ALTER TABLE deliveries ADD COLUMN in_doubt INTEGER NOT NULL DEFAULT 0 CHECK (in_doubt IN (0, 1));
-- One row per customer per campaign: a second start cannot queue anyone twice.
CREATE UNIQUE INDEX deliveries_one_per_campaign_customer ON deliveries (campaign_id, customer_id)
    WHERE campaign_id IS NOT NULL;
-- Entries run in id order within a campaign and state (the rowid ends every index), so the worker's
-- claim reads the next queued rows straight off it instead of sorting the whole campaign each time.
CREATE INDEX deliveries_by_campaign_state ON deliveries (campaign_id, state);
