//! Working days, office hours and deadlines (filled in by the calendar work).
