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
