//! Channels through which customers reach the water board.

use serde::{Deserialize, Serialize};

/// A contact channel (kanaal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Telefoon,
    Email,
    Webformulier,
    Balie,
    Brief,
    SocialeMedia,
    App,
    Chat,
}

impl Channel {
    pub const ALL: [Channel; 8] = [
        Channel::Telefoon,
        Channel::Email,
        Channel::Webformulier,
        Channel::Balie,
        Channel::Brief,
        Channel::SocialeMedia,
        Channel::App,
        Channel::Chat,
    ];

    /// The stable code used in storage and the API.
    pub fn code(self) -> &'static str {
        match self {
            Channel::Telefoon => "telefoon",
            Channel::Email => "email",
            Channel::Webformulier => "webformulier",
            Channel::Balie => "balie",
            Channel::Brief => "brief",
            Channel::SocialeMedia => "sociale_media",
            Channel::App => "app",
            Channel::Chat => "chat",
        }
    }

    /// The Dutch label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Channel::Telefoon => "Telefoon",
            Channel::Email => "E-mail",
            Channel::Webformulier => "Webformulier",
            Channel::Balie => "Balie",
            Channel::Brief => "Brief",
            Channel::SocialeMedia => "Sociale media",
            Channel::App => "App",
            Channel::Chat => "Chat",
        }
    }
}

crate::codes::impl_codes!(Channel, "channel");
