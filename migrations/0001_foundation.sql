-- Foundation: staff accounts, their sessions, sign-in throttling and the incident profile.
-- Timestamps are RFC 3339 text in UTC; pages convert to Asia/Tokyo for display.

CREATE TABLE staff (
    id INTEGER PRIMARY KEY,
    -- Lower-cased sign-in address; unique so one person cannot hold two accounts under one address.
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('agent', 'manager', 'admin')),
    -- argon2id PHC string; the password itself is never stored.
    password_hash TEXT NOT NULL,
    -- Disabled accounts keep their row (audit rows point at it) but cannot sign in.
    disabled_at TEXT,
    created_at TEXT NOT NULL,
    password_changed_at TEXT NOT NULL
);

CREATE TABLE sessions (
    -- SHA-256 of the cookie token: a stolen database copy cannot be replayed as a cookie.
    token_hash TEXT PRIMARY KEY,
    staff_id INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    -- Idle expiry counts from here.
    last_seen_at TEXT NOT NULL
);
CREATE INDEX sessions_by_staff ON sessions (staff_id);

CREATE TABLE sign_in_failures (
    -- 'email:<address>' or 'address:<ip>': both an account and a source are slowed down.
    subject TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_failed_at TEXT NOT NULL
);

-- One incident per deployment: the single row has id 1.
CREATE TABLE incident (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    company_name TEXT NOT NULL,
    representative TEXT NOT NULL,
    shop_name TEXT NOT NULL,
    shop_url TEXT NOT NULL,
    title TEXT NOT NULL,
    affected_from TEXT NOT NULL,
    affected_until TEXT NOT NULL,
    leaked_items TEXT NOT NULL,
    -- As announced; the imported list may differ and the dashboard shows both.
    announced_customers INTEGER NOT NULL CHECK (announced_customers >= 0),
    cause_summary TEXT NOT NULL,
    measures_taken TEXT NOT NULL,
    hotline_name TEXT NOT NULL,
    hotline_number TEXT NOT NULL,
    letter_sender TEXT NOT NULL,
    status_page_url TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
