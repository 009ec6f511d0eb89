//! Work the process must not end in the middle of (journal writes, actions on their way):
//! each piece holds a `Token`, and `wait` returns once every token is dropped.

use tokio::sync::mpsc;

/// Held for as long as one piece of work runs. Never sent on: dropping it is the message.
#[derive(Clone)]
pub struct Token {
    _alive: mpsc::Sender<()>,
}

pub struct InFlight {
    token: Token,
    ended: mpsc::Receiver<()>,
}

impl Default for InFlight {
    fn default() -> Self {
        Self::new()
    }
}

impl InFlight {
    pub fn new() -> Self {
        let (alive, ended) = mpsc::channel(1);
        Self {
            token: Token { _alive: alive },
            ended,
        }
    }

    pub fn token(&self) -> Token {
        self.token.clone()
    }

    /// Until every token handed out (and every clone of one) is dropped.
    pub async fn wait(self) {
        let Self { token, mut ended } = self;
        drop(token);
        // No one sends: `None` comes when the last sender, i.e. token, is gone.
        let _ = ended.recv().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test(start_paused = true)]
    async fn wait_returns_once_the_last_token_is_dropped() {
        let work = InFlight::new();
        let (first, second) = (work.token(), work.token());
        let done = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(1)).await;
            drop(first);
            tokio::time::sleep(Duration::from_secs(1)).await;
            drop(second);
        });
        let started = tokio::time::Instant::now();
        work.wait().await;
        assert_eq!(started.elapsed(), Duration::from_secs(2));
        done.await.unwrap();
    }
}
