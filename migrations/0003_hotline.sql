-- The hotline calendar: the schedule managers edit on the Settings page.
-- One row (id 1) per deployment, like the incident; no row means no schedule yet (the line reads as closed).
CREATE TABLE hotline_schedule (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    -- breachdesk::calendar::schedule::Schedule as JSON: periods, closures, extra openings and the
    -- holiday overrides together, because they are validated together (Schedule::new) and saved as one edit.
    -- Reading it back runs the same validation, so a hand-edited row that breaks the rules is reported, not used.
    schedule TEXT NOT NULL CHECK (json_valid(schedule)),
    updated_at TEXT NOT NULL,
    -- The staff member who saved it; NULL when it came from the demo load or the command line.
    updated_by INTEGER REFERENCES staff (id)
);
