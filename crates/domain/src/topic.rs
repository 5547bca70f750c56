//! Topics (onderwerpen): a tree, each topic with a responsible team.

use crate::ids::{TeamId, TopicId};
use crate::{Invalid, InvalidKind, text};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Topic {
    pub id: TopicId,
    /// The parent topic; `None` for a root.
    pub parent_id: Option<TopicId>,
    pub name: String,
    /// The team that answers for this topic; children without one inherit the parent's.
    pub team_id: Option<TeamId>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TopicInput {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    #[serde(default)]
    pub parent_id: Option<TopicId>,
    #[serde(default)]
    pub team_id: Option<TeamId>,
}

impl Topic {
    pub fn create(input: TopicInput) -> Result<Self, Invalid> {
        let mut t = Topic { id: TopicId::new(), parent_id: None, name: String::new(), team_id: None };
        t.apply(input)?;
        Ok(t)
    }

    pub fn apply(&mut self, input: TopicInput) -> Result<(), Invalid> {
        if input.parent_id == Some(self.id) {
            return Err(Invalid::new("parent_id", InvalidKind::Cycle));
        }
        self.name = text::required("name", &input.name, text::limits::NAME)?;
        self.parent_id = input.parent_id;
        self.team_id = input.team_id;
        Ok(())
    }
}

/// Would making `new_parent` the parent of `topic` create a cycle in `topics`?
pub fn creates_cycle(topics: &[Topic], topic: TopicId, new_parent: Option<TopicId>) -> bool {
    let mut cursor = new_parent;
    let mut steps = 0;
    while let Some(id) = cursor {
        if id == topic || steps > topics.len() {
            return true;
        }
        cursor = topics.iter().find(|t| t.id == id).and_then(|t| t.parent_id);
        steps += 1;
    }
    false
}

/// The responsible team of `topic`: its own, else the nearest ancestor's.
pub fn responsible_team(topics: &[Topic], topic: TopicId) -> Option<TeamId> {
    let mut cursor = Some(topic);
    let mut steps = 0;
    while let Some(id) = cursor {
        let t = topics.iter().find(|t| t.id == id)?;
        if t.team_id.is_some() || steps > topics.len() {
            return t.team_id;
        }
        cursor = t.parent_id;
        steps += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topic(name: &str, parent: Option<TopicId>, team: Option<TeamId>) -> Topic {
        Topic::create(TopicInput { name: name.into(), parent_id: parent, team_id: team }).unwrap()
    }

    #[test]
    fn children_inherit_the_responsible_team() {
        let team = TeamId::new();
        let root = topic("Belastingen", None, Some(team));
        let child = topic("Kwijtschelding", Some(root.id), None);
        let topics = vec![root.clone(), child.clone()];
        assert_eq!(responsible_team(&topics, child.id), Some(team));
    }

    #[test]
    fn cycles_are_detected() {
        let a = topic("A", None, None);
        let b = topic("B", Some(a.id), None);
        let topics = vec![a.clone(), b.clone()];
        assert!(creates_cycle(&topics, a.id, Some(b.id)));
        assert!(!creates_cycle(&topics, b.id, None));
    }
}
