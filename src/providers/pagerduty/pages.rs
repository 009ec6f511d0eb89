//! PagerDuty's offset paging (`offset += limit` while `more`), guarded against servers
//! that never stop saying `more` (a mock answering the same page forever).

use std::collections::HashSet;
use std::future::Future;
use std::hash::Hash;

use super::wire::Paging;
use crate::providers::ProviderError;

/// The most PagerDuty hands out per page.
pub const PAGE_LIMIT: u32 = 100;

/// PagerDuty serves only the first 10,000 records of a listing through offsets.
const OFFSET_CEILING: u32 = 10_000;

/// Every item of a listing, in order, each once. `fetch(offset)` reads one page; the
/// walk stops when the server says there is no more, when a page brings nothing new,
/// or at the offset ceiling.
pub async fn every_page<T, K, Fetch, Answer>(
    mut fetch: Fetch,
    identity: impl Fn(&T) -> K,
) -> Result<Vec<T>, ProviderError>
where
    Fetch: FnMut(u32) -> Answer,
    Answer: Future<Output = Result<(Vec<T>, Paging), ProviderError>>,
    K: Eq + Hash,
{
    let mut seen = HashSet::new();
    let mut all = Vec::new();
    let mut offset = 0u32;
    loop {
        let (items, paging) = fetch(offset).await?;
        let before = all.len();
        for item in items {
            if seen.insert(identity(&item)) {
                all.push(item);
            }
        }
        // The server's own page size: if it capped ours, stepping by ours would skip.
        let step = paging
            .limit
            .filter(|limit| *limit > 0)
            .unwrap_or(PAGE_LIMIT);
        offset = offset.saturating_add(step);
        if !paging.more || all.len() == before || offset >= OFFSET_CEILING {
            return Ok(all);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(items: &[u32], more: bool, limit: Option<u32>) -> (Vec<u32>, Paging) {
        (items.to_vec(), Paging { more, limit })
    }

    async fn walk(answer: impl Fn(u32) -> (Vec<u32>, Paging)) -> (Vec<u32>, Vec<u32>) {
        let asked = std::cell::RefCell::new(Vec::new());
        let items = every_page(
            |offset| {
                asked.borrow_mut().push(offset);
                std::future::ready(Ok(answer(offset)))
            },
            |item: &u32| *item,
        )
        .await
        .unwrap();
        (items, asked.into_inner())
    }

    #[tokio::test]
    async fn pages_are_followed_until_the_server_says_no_more() {
        let (items, asked) = walk(|offset| match offset {
            0 => page(&[1, 2], true, Some(100)),
            100 => page(&[3], true, None),
            _ => page(&[4], false, Some(100)),
        })
        .await;
        assert_eq!(items, [1, 2, 3, 4]);
        assert_eq!(asked, [0, 100, 200]);
    }

    #[tokio::test]
    async fn a_server_that_always_says_more_is_left_when_nothing_new_comes() {
        let (items, asked) = walk(|_| page(&[7], true, Some(1))).await;
        assert_eq!(items, [7]);
        assert_eq!(asked, [0, 1], "the smaller page size the server used");
    }

    #[tokio::test]
    async fn paging_stops_at_the_apis_offset_ceiling() {
        let (items, asked) = walk(|offset| page(&[offset, offset + 1], true, None)).await;
        assert_eq!(asked.len(), 100);
        assert_eq!(asked.last(), Some(&9_900));
        assert_eq!(items.len(), 200);
    }
}
