//! Where each action journaled in this run stands, as far as dropping it goes: still
//! waiting (a drop stops it), or handed to its source (too late: it may be done).

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::Mutex;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Waiting,
    Out,
    /// Dropped before it went: its sender stops when it comes to it.
    Dropped,
}

/// Shared by the queue (which journals and drops) and each op's sender. A tokio mutex:
/// a drop holds it while the journal takes the record, so no sender slips past.
#[derive(Debug, Clone, Default)]
pub(super) struct Stages(Arc<Mutex<HashMap<u64, Stage>>>);

/// A drop is refused: the request went out.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct OnItsWay;

impl Stages {
    /// Journaled as pending; not yet given to its source.
    pub async fn waiting(&self, id: u64) {
        self.0.lock().await.insert(id, Stage::Waiting);
    }

    /// The sender's turn: whether it may go (it was not dropped). From here on a drop is
    /// refused.
    pub async fn hand_over(&self, id: u64) -> bool {
        let mut stages = self.0.lock().await;
        if stages.get(&id) == Some(&Stage::Dropped) {
            stages.remove(&id);
            return false;
        }
        stages.insert(id, Stage::Out);
        true
    }

    /// Confirmed or failed: nothing is under way for it any more.
    pub async fn settled(&self, id: u64) {
        self.0.lock().await.remove(&id);
    }

    /// Drop `id` if it has not gone out: `journal` records the drop while no sender can
    /// take the op; its error leaves the op as it was.
    pub async fn drop_with<E>(
        &self,
        id: u64,
        journal: impl AsyncFnOnce() -> Result<(), E>,
    ) -> Result<Result<(), E>, OnItsWay> {
        let mut stages = self.0.lock().await;
        let stage = stages.get(&id).copied();
        if stage == Some(Stage::Out) {
            return Err(OnItsWay);
        }
        let written = journal().await;
        // Settled ops (or ones from an earlier run) have no sender left to stop.
        if written.is_ok() && stage == Some(Stage::Waiting) {
            stages.insert(id, Stage::Dropped);
        }
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn journal_ok() -> Result<(), String> {
        Ok(())
    }

    #[tokio::test]
    async fn a_drop_before_the_hand_over_stops_the_sender() {
        let stages = Stages::default();
        stages.waiting(1).await;
        assert_eq!(stages.drop_with(1, journal_ok).await, Ok(Ok(())));
        assert!(!stages.hand_over(1).await, "a dropped op is never sent");
    }

    #[tokio::test]
    async fn a_drop_after_the_hand_over_is_refused() {
        let stages = Stages::default();
        stages.waiting(2).await;
        assert!(stages.hand_over(2).await);
        let mut journaled = false;
        let verdict = stages
            .drop_with(2, async || {
                journaled = true;
                Ok::<(), String>(())
            })
            .await;
        assert_eq!(verdict, Err(OnItsWay));
        assert!(!journaled, "nothing written for a refused drop");
    }

    #[tokio::test]
    async fn a_drop_that_cannot_be_journaled_leaves_the_op_to_go() {
        let stages = Stages::default();
        stages.waiting(3).await;
        let verdict = stages
            .drop_with(3, async || Err("disk full".to_string()))
            .await;
        assert_eq!(verdict, Ok(Err("disk full".to_string())));
        assert!(stages.hand_over(3).await, "not dropped, so it still goes");
    }

    #[tokio::test]
    async fn a_settled_op_can_be_dropped_and_nothing_waits_for_it() {
        let stages = Stages::default();
        stages.waiting(4).await;
        assert!(stages.hand_over(4).await);
        stages.settled(4).await;
        assert_eq!(stages.drop_with(4, journal_ok).await, Ok(Ok(())));
        assert!(stages.0.lock().await.is_empty());
    }
}
