//! The team board (dagstart): the team's own result goals, judged against the board's figures,
//! and the notes a team keeps with its board (dagstart, weekstart, terugblik) with action
//! points that each have an owner. The figures themselves are defined in docs/team-board.md.

use crate::ids::{ActionPointId, BoardNoteId, EmployeeId, TeamId};
use crate::{Invalid, InvalidKind, StateRule, text};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The figures of one team's board at one moment (docs/team-board.md defines each).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct BoardFigures {
    /// Open cases of the team now (werkvoorraad), suspended ones included.
    pub workload: u64,
    /// Open cases of the team without an owner.
    pub unassigned: u64,
    /// Open cases of the team that are suspended (their clock stands still).
    pub suspended: u64,
    /// Open, not suspended, service-norm deadline within the risk horizon.
    pub at_risk: u64,
    /// Open and past the service-norm deadline (a suspended case only when it was late before).
    pub late: u64,
    /// Cases of the team received today and this week (inflow).
    pub received_today: u64,
    pub received_week: u64,
    /// Cases of the team closed today and this week (outflow).
    pub closed_today: u64,
    pub closed_week: u64,
    /// This week's norm measurements of the team, as the compliance report counts them.
    pub week_within_norm: u64,
    pub week_late: u64,
    /// The organisation's target for cases (percent within norm).
    pub target_percent: u8,
}

impl BoardFigures {
    /// Share within norm of this week's decided measurements (within + late), in percent.
    pub fn percent_within(&self) -> Option<f64> {
        let decided = self.week_within_norm + self.week_late;
        (decided > 0).then(|| self.week_within_norm as f64 * 100.0 / decided as f64)
    }

    /// This week's share meets the organisation's target; `None` while nothing was decided.
    pub fn meets_target(&self) -> Option<bool> {
        self.percent_within().map(|p| p >= f64::from(self.target_percent))
    }
}

/// What a team goal measures. A small fixed set, so every goal is judged by one documented rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GoalKind {
    /// At least `target` percent of this week's measurements within the norm.
    BinnenNorm,
    /// Fewer than `target` open cases (werkvoorraad).
    WerkvoorraadOnder,
    /// Fewer than `target` late open cases.
    TeLaatOnder,
}

impl GoalKind {
    pub const ALL: [GoalKind; 3] = [GoalKind::BinnenNorm, GoalKind::WerkvoorraadOnder, GoalKind::TeLaatOnder];

    pub fn code(self) -> &'static str {
        match self {
            GoalKind::BinnenNorm => "binnen_norm",
            GoalKind::WerkvoorraadOnder => "werkvoorraad_onder",
            GoalKind::TeLaatOnder => "te_laat_onder",
        }
    }

    /// How the goal reads on the board, with its target: "95% binnen de servicenorm".
    pub fn describe(self, target: u32) -> String {
        match self {
            GoalKind::BinnenNorm => format!("{target}% binnen de servicenorm (deze week)"),
            GoalKind::WerkvoorraadOnder => format!("werkvoorraad onder {target}"),
            GoalKind::TeLaatOnder => format!("minder dan {target} zaken te laat"),
        }
    }

    /// The targets allowed: a percentage for the norm goal, a count of at least 1 for the others.
    fn range(self) -> (u32, u32) {
        match self {
            GoalKind::BinnenNorm => (1, 100),
            GoalKind::WerkvoorraadOnder | GoalKind::TeLaatOnder => (1, 1_000_000),
        }
    }
}
crate::codes::impl_codes!(GoalKind, "kind");

/// One result goal of a team, set by its team lead. A team has at most one goal of each kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TeamGoal {
    pub team_id: TeamId,
    pub kind: GoalKind,
    pub target: u32,
    pub set_by: Option<EmployeeId>,
    #[schema(value_type = String, format = DateTime)]
    pub set_at: Timestamp,
}

impl TeamGoal {
    /// A goal of `kind` with `target` as typed (a whole number in the kind's range).
    pub fn set(
        team_id: TeamId,
        kind: GoalKind,
        target: &str,
        by: Option<EmployeeId>,
        now: Timestamp,
    ) -> Result<Self, Invalid> {
        let (min, max) = kind.range();
        let typed = target.trim().trim_end_matches('%').trim();
        if typed.is_empty() {
            return Err(Invalid::empty("target"));
        }
        let target =
            typed.parse::<u32>().map_err(|_| Invalid::malformed("target", typed, crate::Format::WholeNumber))?;
        if !(min..=max).contains(&target) {
            return Err(Invalid::new(
                "target",
                InvalidKind::OutOfRange { min: i64::from(min), max: Some(i64::from(max)) },
            ));
        }
        Ok(TeamGoal { team_id, kind, target, set_by: by, set_at: now })
    }

    /// How the team stands against this goal with the board's `figures`.
    pub fn judge(&self, figures: &BoardFigures) -> GoalProgress {
        let target = f64::from(self.target);
        let (actual, met, margin) = match self.kind {
            GoalKind::BinnenNorm => match figures.percent_within() {
                Some(p) => (Some(p), Some(p >= target), Some(p - target)),
                None => (None, None, None),
            },
            GoalKind::WerkvoorraadOnder | GoalKind::TeLaatOnder => {
                let n = if self.kind == GoalKind::WerkvoorraadOnder { figures.workload } else { figures.late };
                let n = n as f64;
                (Some(n), Some(n < target), Some(target - n))
            }
        };
        GoalProgress {
            kind: self.kind,
            target: self.target,
            label: self.kind.describe(self.target),
            actual,
            met,
            margin,
        }
    }
}

/// A goal judged against the board: where the team stands and whether it is met.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct GoalProgress {
    pub kind: GoalKind,
    pub target: u32,
    /// The goal as it reads: "werkvoorraad onder 40".
    pub label: String,
    /// The figure the goal is judged on (a percentage or a count); `None` when this week has no
    /// decided measurement yet.
    pub actual: Option<f64>,
    /// Met now; `None` when it cannot be judged yet.
    pub met: Option<bool>,
    /// How far on the right side of the target: positive (or zero for a percentage) is met.
    /// Percentage points for the norm goal, cases for the others.
    pub margin: Option<f64>,
}

impl GoalProgress {
    /// Where the team stands, in plain Dutch: "32 open zaken: gehaald, 8 ruimte".
    pub fn summary(&self) -> String {
        let (Some(actual), Some(met), Some(margin)) = (self.actual, self.met, self.margin) else {
            return "nog niet te beoordelen: deze week is nog geen zaak beoordeeld".into();
        };
        match self.kind {
            GoalKind::BinnenNorm => {
                let now = format!("nu {}%", one_decimal(actual));
                if met {
                    format!("{now}: gehaald")
                } else {
                    format!("{now}: niet gehaald, {} procentpunt te weinig", one_decimal(-margin))
                }
            }
            GoalKind::WerkvoorraadOnder | GoalKind::TeLaatOnder => {
                let what = if self.kind == GoalKind::WerkvoorraadOnder { "open zaken" } else { "zaken te laat" };
                let now = format!("nu {actual} {what}");
                if met {
                    format!("{now}: gehaald, nog {margin} ruimte")
                } else {
                    format!("{now}: niet gehaald, {} te veel", -margin + 1.0)
                }
            }
        }
    }
}

/// `93.25` as "93,3"; whole numbers without decimals.
pub fn one_decimal(v: f64) -> String {
    let rounded = (v * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 { format!("{rounded:.0}") } else { format!("{rounded:.1}").replace('.', ",") }
}

/// What a board note records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    Dagstart,
    Weekstart,
    Terugblik,
}

impl NoteKind {
    pub const ALL: [NoteKind; 3] = [NoteKind::Dagstart, NoteKind::Weekstart, NoteKind::Terugblik];

    pub fn code(self) -> &'static str {
        match self {
            NoteKind::Dagstart => "dagstart",
            NoteKind::Weekstart => "weekstart",
            NoteKind::Terugblik => "terugblik",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            NoteKind::Dagstart => "Dagstart",
            NoteKind::Weekstart => "Weekstart",
            NoteKind::Terugblik => "Terugblik",
        }
    }
}
crate::codes::impl_codes!(NoteKind, "kind");

/// The most action points one note holds.
pub const MAX_ACTIONS: usize = 10;

/// A note kept with the board: what was said at a dagstart, weekstart or terugblik.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BoardNote {
    pub id: BoardNoteId,
    pub team_id: TeamId,
    /// The day the meeting was held.
    #[schema(value_type = String, format = Date)]
    pub day: Date,
    pub kind: NoteKind,
    pub author_id: Option<EmployeeId>,
    pub text: String,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    pub actions: Vec<ActionPoint>,
}

/// Something to do after a meeting, with the one employee who does it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ActionPoint {
    pub id: ActionPointId,
    pub note_id: BoardNoteId,
    pub text: String,
    pub owner_id: EmployeeId,
    pub done: bool,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub done_at: Option<Timestamp>,
}

/// A note as written: `actions` are `(text, owner)` pairs; rows with neither are skipped.
pub struct NoteInput<'a> {
    pub day: &'a str,
    pub kind: NoteKind,
    pub text: &'a str,
    pub actions: Vec<(&'a str, Option<EmployeeId>)>,
}

impl BoardNote {
    pub fn write(
        team_id: TeamId,
        input: NoteInput<'_>,
        author: Option<EmployeeId>,
        now: Timestamp,
    ) -> Result<Self, Invalid> {
        let day = crate::planned_works::parse_date("day", input.day)?;
        let text = text::required("note", input.text, text::limits::LONG)?;
        let id = BoardNoteId::new();
        let rows: Vec<_> = input.actions.into_iter().filter(|(t, o)| !t.trim().is_empty() || o.is_some()).collect();
        if rows.len() > MAX_ACTIONS {
            return Err(Invalid::new("actions", InvalidKind::TooMany { max: MAX_ACTIONS }));
        }
        let actions = rows
            .into_iter()
            .enumerate()
            .map(|(i, (t, owner))| {
                let text = text::required("action", t, text::limits::SHORT).map_err(|e| e.in_item("actions", i))?;
                let owner_id = owner.ok_or_else(|| Invalid::empty("owner_id").in_item("actions", i))?;
                Ok(ActionPoint { id: ActionPointId::new(), note_id: id, text, owner_id, done: false, done_at: None })
            })
            .collect::<Result<_, Invalid>>()?;
        Ok(BoardNote { id, team_id, day, kind: input.kind, author_id: author, text, created_at: now, actions })
    }
}

impl ActionPoint {
    /// Tick the point off (`done`) or open it again; ticking a point already in that state is refused.
    pub fn tick(&mut self, done: bool, now: Timestamp) -> Result<(), Invalid> {
        if self.done == done {
            let (from, to) = if done { ("klaar", "klaar") } else { ("open", "open") };
            return Err(Invalid::wrong_state("done", StateRule::Transition { from, to }));
        }
        self.done = done;
        self.done_at = done.then_some(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures() -> BoardFigures {
        BoardFigures {
            workload: 32,
            late: 3,
            week_within_norm: 37,
            week_late: 3,
            target_percent: 90,
            ..Default::default()
        }
    }

    fn goal(kind: GoalKind, target: &str) -> Result<TeamGoal, Invalid> {
        TeamGoal::set(TeamId::new(), kind, target, None, Timestamp::UNIX_EPOCH)
    }

    #[test]
    fn a_percentage_goal_is_met_at_or_above_its_target_and_waits_for_a_decided_case() {
        // 37 of 40 decided measurements within the norm: 92.5%.
        let p = goal(GoalKind::BinnenNorm, "95%").unwrap().judge(&figures());
        assert_eq!((p.actual, p.met), (Some(92.5), Some(false)));
        assert_eq!(p.summary(), "nu 92,5%: niet gehaald, 2,5 procentpunt te weinig");
        let p = goal(GoalKind::BinnenNorm, "92").unwrap().judge(&figures());
        assert_eq!(p.met, Some(true));
        let exact = BoardFigures { week_within_norm: 19, week_late: 1, ..figures() };
        assert_eq!(goal(GoalKind::BinnenNorm, "95").unwrap().judge(&exact).met, Some(true), "95% meets 95%");
        let nothing = BoardFigures { week_within_norm: 0, week_late: 0, ..figures() };
        let p = goal(GoalKind::BinnenNorm, "95").unwrap().judge(&nothing);
        assert_eq!((p.actual, p.met), (None, None));
        assert!(p.summary().starts_with("nog niet te beoordelen"));
    }

    #[test]
    fn a_below_goal_is_met_only_strictly_below_its_target() {
        let p = goal(GoalKind::WerkvoorraadOnder, "40").unwrap().judge(&figures());
        assert_eq!((p.actual, p.met, p.margin), (Some(32.0), Some(true), Some(8.0)));
        assert_eq!(p.label, "werkvoorraad onder 40");
        assert_eq!(p.summary(), "nu 32 open zaken: gehaald, nog 8 ruimte");
        let p = goal(GoalKind::WerkvoorraadOnder, "32").unwrap().judge(&figures());
        assert_eq!(p.met, Some(false), "32 is not below 32");
        assert_eq!(p.summary(), "nu 32 open zaken: niet gehaald, 1 te veel");
        let p = goal(GoalKind::TeLaatOnder, "3").unwrap().judge(&figures());
        assert_eq!((p.actual, p.met), (Some(3.0), Some(false)), "judged on the late cases");
        assert_eq!(goal(GoalKind::TeLaatOnder, "4").unwrap().judge(&figures()).met, Some(true));
    }

    #[test]
    fn targets_are_whole_numbers_in_range() {
        assert_eq!(goal(GoalKind::BinnenNorm, " 95 % ").unwrap().target, 95);
        for bad in ["", "101", "0", "9,5", "veel"] {
            let e = goal(GoalKind::BinnenNorm, bad).unwrap_err();
            assert_eq!(e.field, "target", "{bad}");
        }
        assert!(goal(GoalKind::WerkvoorraadOnder, "0").is_err(), "below 0 can never be met");
        assert_eq!(goal(GoalKind::WerkvoorraadOnder, "250").unwrap().target, 250);
        assert_eq!("te_laat_onder".parse::<GoalKind>().unwrap(), GoalKind::TeLaatOnder);
        assert!("doorlooptijd".parse::<GoalKind>().is_err());
    }

    #[test]
    fn a_note_keeps_its_action_points_each_with_an_owner() {
        let owner = EmployeeId::new();
        let input =
            |actions| NoteInput { day: "2026-03-09", kind: NoteKind::Dagstart, text: "Drukke maandag", actions };
        let note = BoardNote::write(
            TeamId::new(),
            input(vec![("Bel de aannemer", Some(owner)), ("", None), ("  ", None)]),
            None,
            Timestamp::UNIX_EPOCH,
        )
        .unwrap();
        assert_eq!(note.day, Date::constant(2026, 3, 9));
        assert_eq!(note.actions.len(), 1, "empty rows are skipped");
        assert_eq!((note.actions[0].owner_id, note.actions[0].note_id, note.actions[0].done), (owner, note.id, false));

        let e = BoardNote::write(TeamId::new(), input(vec![("Bel terug", None)]), None, Timestamp::UNIX_EPOCH);
        assert_eq!(e.unwrap_err().field, "owner_id", "an action point needs an owner");
        let e = BoardNote::write(TeamId::new(), input(vec![("", Some(owner))]), None, Timestamp::UNIX_EPOCH);
        assert_eq!(e.unwrap_err().field, "action", "an owner needs something to do");
        let blank = NoteInput { day: "2026-03-09", kind: NoteKind::Terugblik, text: " ", actions: vec![] };
        assert_eq!(BoardNote::write(TeamId::new(), blank, None, Timestamp::UNIX_EPOCH).unwrap_err().field, "note");
        let bad_day = NoteInput { day: "9-3-2026x", kind: NoteKind::Terugblik, text: "x", actions: vec![] };
        assert_eq!(BoardNote::write(TeamId::new(), bad_day, None, Timestamp::UNIX_EPOCH).unwrap_err().field, "day");
    }

    #[test]
    fn an_action_point_is_ticked_off_once_and_can_be_reopened() {
        let mut a = ActionPoint {
            id: ActionPointId::new(),
            note_id: BoardNoteId::new(),
            text: "Bel".into(),
            owner_id: EmployeeId::new(),
            done: false,
            done_at: None,
        };
        let at = Timestamp::from_second(1_000).unwrap();
        a.tick(true, at).unwrap();
        assert_eq!((a.done, a.done_at), (true, Some(at)));
        assert!(a.tick(true, at).is_err(), "already done");
        a.tick(false, at).unwrap();
        assert_eq!((a.done, a.done_at), (false, None));
    }
}
