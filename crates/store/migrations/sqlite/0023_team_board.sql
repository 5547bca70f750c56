-- The team board (issue 14): the team's own result goals and the notes kept with the board.
-- One goal per team and kind (`team_board::GoalKind`), set by the team lead.
CREATE TABLE team_goals (
    team_id TEXT NOT NULL REFERENCES teams(id),
    kind TEXT NOT NULL,
    target BIGINT NOT NULL,
    set_by TEXT,
    set_at BIGINT NOT NULL,
    PRIMARY KEY (team_id, kind)
);
-- Dagstart, weekstart and terugblik notes; the day the meeting was held (ISO date).
CREATE TABLE board_notes (
    id TEXT PRIMARY KEY,
    team_id TEXT NOT NULL REFERENCES teams(id),
    day TEXT NOT NULL,
    kind TEXT NOT NULL,
    author_id TEXT,
    text TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX board_notes_team ON board_notes (team_id, day, created_at);
-- Action points of a note, in the order written, each with the employee who does it.
CREATE TABLE board_actions (
    id TEXT PRIMARY KEY,
    note_id TEXT NOT NULL REFERENCES board_notes(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    text TEXT NOT NULL,
    owner_id TEXT NOT NULL REFERENCES employees(id),
    done BOOLEAN NOT NULL DEFAULT FALSE,
    done_at BIGINT
);
CREATE INDEX board_actions_note ON board_actions (note_id, position);
