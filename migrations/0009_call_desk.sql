-- The call-centre desk: callback tasks (from a call, or asked for on the public status page).

-- A promise to call someone back. Agents work the queue by due time; a task is closed by logging the
-- callback call. The status page may hold at most one open request per customer.
CREATE TABLE callbacks (
    id INTEGER PRIMARY KEY,
    -- NULL for a caller who is not on the customer list.
    customer_id INTEGER REFERENCES customers (id),
    -- 'call': an agent chose "callback needed"; 'status_page': the customer asked on the public page.
    source TEXT NOT NULL CHECK (source IN ('call', 'status_page')),
    -- The call that asked for it (source 'call').
    requested_by_call_id INTEGER,
    -- Digits only, the number to call.
    phone TEXT NOT NULL,
    -- The customer's preferred time of day from the status page: 'morning', 'afternoon', 'evening', 'any'.
    preferred_time TEXT CHECK (preferred_time IS NULL OR preferred_time IN ('morning', 'afternoon', 'evening', 'any')),
    -- Why the call is needed, in the agent's words (masked like call notes); empty from the status page.
    reason TEXT NOT NULL DEFAULT '',
    -- RFC 3339 UTC: business hours after the request, computed with the hotline calendar.
    due_at TEXT NOT NULL,
    assigned_to INTEGER REFERENCES staff (id),
    state TEXT NOT NULL CHECK (state IN ('open', 'done', 'cancelled')),
    created_at TEXT NOT NULL,
    closed_at TEXT,
    -- The callback call that closed it.
    closed_by_call_id INTEGER
);
CREATE INDEX callbacks_open_by_due ON callbacks (state, due_at);
CREATE INDEX callbacks_by_customer ON callbacks (customer_id, id);
CREATE UNIQUE INDEX callbacks_one_open_status_page_request ON callbacks (customer_id)
    WHERE state = 'open' AND source = 'status_page';

-- The categories agents file calls under: a two-level list (category, then sub-category) that
-- managers maintain. Codes are never deleted once calls name them; a retired code is hidden.
CREATE TABLE disposition_codes (
    id INTEGER PRIMARY KEY,
    -- NULL for a category; the category's id for a sub-category (two levels only, checked in code).
    parent_id INTEGER REFERENCES disposition_codes (id),
    label_ja TEXT NOT NULL CHECK (length(label_ja) BETWEEN 1 AND 60),
    label_en TEXT NOT NULL CHECK (length(label_en) BETWEEN 1 AND 60),
    -- The order agents see them in.
    position INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL
);
CREATE INDEX disposition_codes_by_parent ON disposition_codes (parent_id, position);

-- One row per call taken or returned. Never deleted: the desk's record and its reports.
CREATE TABLE calls (
    id INTEGER PRIMARY KEY,
    -- NULL for a caller who is not on the list (a worried non-customer, the press, a card company).
    customer_id INTEGER REFERENCES customers (id),
    staff_id INTEGER NOT NULL REFERENCES staff (id),
    -- RFC 3339 UTC; when the call came in, which may be before it was logged.
    received_at TEXT NOT NULL,
    -- Whether received_at fell in open hours under the schedule in force on that date.
    in_hours INTEGER NOT NULL CHECK (in_hours IN (0, 1)),
    -- Digits only; empty when the number was withheld.
    caller_phone TEXT NOT NULL,
    -- The number called (the incident's free-dial number by default).
    line TEXT NOT NULL,
    -- The sub-category, or the category when it has none.
    disposition_id INTEGER NOT NULL REFERENCES disposition_codes (id),
    -- Masked before saving: a run of 13–19 digits keeps only its last 4.
    notes TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('resolved', 'callback_needed', 'escalated', 'identity_not_verified')),
    talk_minutes INTEGER NOT NULL CHECK (talk_minutes BETWEEN 0 AND 600),
    -- The callback this call returned, when it closes one.
    callback_id INTEGER REFERENCES callbacks (id),
    created_at TEXT NOT NULL
);
CREATE INDEX calls_by_customer ON calls (customer_id, id);
-- Reports and the export read calls by date range.
CREATE INDEX calls_by_received ON calls (received_at);

-- What a caller confirmed before an agent discussed the customer's case. The facts themselves are
-- never stored, only which kinds matched.
CREATE TABLE identity_checks (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    staff_id INTEGER NOT NULL REFERENCES staff (id),
    -- Comma-separated fact kinds: reference_code, postal_code, phone, card_last4.
    confirmed TEXT NOT NULL,
    passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
    created_at TEXT NOT NULL
);
CREATE INDEX identity_checks_by_customer ON identity_checks (customer_id, id);

-- An escalated call: the escalation contacts (managers) see it on their dashboard and get an email.
CREATE TABLE escalations (
    id INTEGER PRIMARY KEY,
    call_id INTEGER NOT NULL UNIQUE REFERENCES calls (id),
    customer_id INTEGER REFERENCES customers (id),
    -- Why, in the agent's words (masked like call notes).
    reason TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved')),
    created_at TEXT NOT NULL,
    acknowledged_by INTEGER REFERENCES staff (id),
    acknowledged_at TEXT,
    resolved_by INTEGER REFERENCES staff (id),
    resolved_at TEXT,
    -- The manager's note on how it was resolved (masked like call notes); empty until then.
    resolution TEXT NOT NULL DEFAULT '',
    -- The outbox of the contacts' email: NULL until the `serve` worker has sent it.
    notified_at TEXT
);
CREATE INDEX escalations_by_state ON escalations (state, id);
CREATE INDEX escalations_to_notify ON escalations (id) WHERE notified_at IS NULL;

-- Corrections of a customer's address or email from a call: the history the customer page shows.
-- A correction also clears the returned-mail flag (a returned or bounced delivery older than it).
CREATE TABLE contact_changes (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    staff_id INTEGER NOT NULL REFERENCES staff (id),
    field TEXT NOT NULL CHECK (field IN ('address', 'email')),
    -- As before and after, the address with its postal code (blanked by the retention purge).
    old_value TEXT NOT NULL,
    new_value TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX contact_changes_by_customer ON contact_changes (customer_id, id);

-- A customer asked on the phone for the letter or email again; the letters desk works these.
CREATE TABLE resend_requests (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    staff_id INTEGER NOT NULL REFERENCES staff (id),
    channel TEXT NOT NULL CHECK (channel IN ('letter', 'email')),
    created_at TEXT NOT NULL
);
CREATE INDEX resend_requests_by_customer ON resend_requests (customer_id, id);

-- Name, reading and phone search: a trigram index finds any part of three characters or more
-- (Japanese partial matches) without scanning the table. Spaces are removed so 山田太郎 finds
-- 山田 太郎. Kept in step with customers by triggers, including the retention purge's blanking.
CREATE VIRTUAL TABLE customers_fts USING fts5 (name, name_kana, phone, tokenize = 'trigram');
INSERT INTO customers_fts (rowid, name, name_kana, phone)
    SELECT id, replace(name, ' ', ''), replace(coalesce(name_kana, ''), ' ', ''), coalesce(phone, '') FROM customers;
CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers
BEGIN
    INSERT INTO customers_fts (rowid, name, name_kana, phone)
    VALUES (new.id, replace(new.name, ' ', ''), replace(coalesce(new.name_kana, ''), ' ', ''), coalesce(new.phone, ''));
END;
CREATE TRIGGER customers_fts_update AFTER UPDATE OF name, name_kana, phone ON customers
BEGIN
    UPDATE customers_fts SET name = replace(new.name, ' ', ''),
        name_kana = replace(coalesce(new.name_kana, ''), ' ', ''), phone = coalesce(new.phone, '')
    WHERE rowid = new.id;
END;
CREATE TRIGGER customers_fts_delete AFTER DELETE ON customers
BEGIN
    DELETE FROM customers_fts WHERE rowid = old.id;
END;
-- One- and two-character names (山田) are shorter than a trigram: they match from the start of the
-- name through these indexes instead (Japanese names start with the family name).
CREATE INDEX customers_by_compact_name ON customers (replace(name, ' ', ''));
CREATE INDEX customers_by_compact_kana ON customers (replace(name_kana, ' ', ''));
