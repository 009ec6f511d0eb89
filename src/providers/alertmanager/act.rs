//! Carrying out one verb on Alertmanager: an ack or snooze is a silence (marked with its
//! op for a resume to find), an unack expires ours, an escalation pages level two.

use super::{Alertmanager, NO_ROUTE, silences};
use crate::incident::IncidentKey;
use crate::providers::paging::{DEFAULT_EVENTS_URL, Page, PageRoute};
use crate::providers::route::RouteOverride;
use crate::providers::{ProviderError, Source, Verb};

impl Alertmanager {
    /// Carry out `verb`; an ack or snooze made as op `op` says so in its silence.
    pub(super) async fn act(
        &self,
        key: &IncidentKey,
        verb: &Verb,
        op: Option<u64>,
    ) -> Result<(), ProviderError> {
        self.capabilities()
            .allows(verb)
            .map_err(ProviderError::Unsupported)?;
        let polled = self.polled(key).await?;
        let marked = |comment: String| match op {
            Some(op) => silences::with_op_mark(comment, op),
            None => comment,
        };
        match verb {
            Verb::Acknowledge { note } => {
                let comment = marked(silences::ack_comment(note.as_deref()));
                let seconds = self.settings.ack_for.as_secs();
                self.silence(&polled.matchers, seconds, comment).await
            }
            Verb::Snooze { seconds } => {
                let comment = marked(silences::snooze_comment(*seconds));
                self.silence(&polled.matchers, *seconds, comment).await
            }
            Verb::Unacknowledge => {
                let expired = self
                    .expire_acks(&polled.matchers, &polled.silenced_by)
                    .await?;
                match expired {
                    0 => Err(ProviderError::Unsupported(format!(
                        "{key} has no acknowledgement or snooze to take back"
                    ))),
                    _ => Ok(()),
                }
            }
            Verb::Escalate {
                to,
                message,
                playbook_route,
                ..
            } => {
                let page = Page {
                    incident: &polled.incident,
                    level_two: to,
                    hand_over: message.as_deref(),
                    escalated_by: &self.settings.me,
                };
                match playbook_route {
                    Some(RouteOverride::Alertmanager(route)) => {
                        let route = PageRoute::Events {
                            url: route
                                .events_url
                                .clone()
                                .unwrap_or(DEFAULT_EVENTS_URL.into()),
                            routing_key: route.routing_key().map_err(ProviderError::Unsupported)?,
                            read_back: None,
                        };
                        self.pager.page_by(&route, &page).await
                    }
                    _ if !self.pager.has_route() => {
                        Err(ProviderError::Unsupported(NO_ROUTE.into()))
                    }
                    _ => self.pager.page(&page).await,
                }
            }
            // Refused above, by the capabilities.
            _ => Ok(()),
        }
    }
}
