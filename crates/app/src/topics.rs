//! Use cases: the topic tree.

use crate::principal::roles;
use crate::{App, AppError, Principal};
use gastvrij_domain::audit::Change;
use gastvrij_domain::ids::TopicId;
use gastvrij_domain::topic::{self, Topic, TopicInput};
use gastvrij_domain::{Invalid, InvalidKind};

impl App {
    pub async fn create_topic(&self, who: &Principal, input: TopicInput) -> Result<Topic, AppError> {
        who.require(roles::TOPIC_EDITORS)?;
        let topic = Topic::create(input)?;
        self.check_topic_refs(&topic).await?;
        let change = Change::new(who.actor, self.now(), "topic.created", topic.id, "");
        self.store.insert_topic(&topic, &change).await?;
        self.reference.clear();
        Ok(topic)
    }

    pub async fn update_topic(&self, who: &Principal, id: TopicId, input: TopicInput) -> Result<Topic, AppError> {
        who.require(roles::TOPIC_EDITORS)?;
        let mut topic = self.store.topic(id).await?.ok_or(AppError::NotFound("topic"))?;
        topic.apply(input)?;
        self.check_topic_refs(&topic).await?;
        let all = self.store.topics().await?;
        if topic::creates_cycle(&all, topic.id, topic.parent_id) {
            return Err(Invalid::new("parent_id", InvalidKind::Cycle).into());
        }
        let change = Change::new(who.actor, self.now(), "topic.updated", topic.id, "");
        self.store.update_topic(&topic, &change).await?;
        self.reference.clear();
        Ok(topic)
    }

    pub async fn topic(&self, who: &Principal, id: TopicId) -> Result<Topic, AppError> {
        who.require(roles::STAFF)?;
        self.store.topic(id).await?.ok_or(AppError::NotFound("topic"))
    }

    pub async fn topics(&self, who: &Principal) -> Result<Vec<Topic>, AppError> {
        who.require(roles::STAFF)?;
        Ok(self.store.topics().await?)
    }

    async fn check_topic_refs(&self, t: &Topic) -> Result<(), AppError> {
        if let Some(parent) = t.parent_id
            && self.store.topic(parent).await?.is_none()
        {
            return Err(Invalid::unknown_id("parent_id", parent).into());
        }
        if let Some(team) = t.team_id
            && self.store.team(team).await?.is_none()
        {
            return Err(Invalid::unknown_id("team_id", team).into());
        }
        Ok(())
    }
}
