//! Reading a paged list to its end, without trusting the server to say where the end is:
//! a page that brings nothing new stops the reading (the validating mock answers every
//! page with the same item and a `next` link), and so does a cap.

use std::collections::HashSet;

use reqwest::Url;

use super::wire::Paging;

/// The most items one list is read to.
pub const MAX_ITEMS: usize = 20_000;

/// The items of a list so far, each once.
#[derive(Debug)]
pub struct Collected<T> {
    pub items: Vec<T>,
    seen: HashSet<String>,
}

/// Whether to ask for another page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    Ask,
    Stop,
    /// The cap was reached with more to come.
    Capped,
}

impl<T> Default for Collected<T> {
    fn default() -> Self {
        Collected {
            items: Vec::new(),
            seen: HashSet::new(),
        }
    }
}

impl<T> Collected<T> {
    /// Keep the page's items not seen before (an item can move to the next page while
    /// the list is read), and say whether another page is worth asking for.
    pub fn add(
        &mut self,
        page: Vec<T>,
        limit: usize,
        more: bool,
        identity: impl Fn(&T) -> String,
    ) -> Next {
        let full = page.len() >= limit;
        let before = self.items.len();
        for item in page {
            if self.items.len() >= MAX_ITEMS {
                return Next::Capped;
            }
            if self.seen.insert(identity(&item)) {
                self.items.push(item);
            }
        }
        let added = self.items.len() > before;
        match (more && full && added, self.items.len() >= MAX_ITEMS) {
            (true, true) => Next::Capped,
            (true, false) => Next::Ask,
            (false, _) => Next::Stop,
        }
    }
}

/// The `offset` the `next` link asks for, if it is a URL that names one.
pub fn offset_in(paging: Option<&Paging>) -> Option<String> {
    let next = Url::parse(paging?.next.as_deref()?).ok()?;
    next.query_pairs()
        .find(|(key, _)| key == "offset")
        .map(|(_, value)| value.into_owned())
        .filter(|value| !value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(item: &u32) -> String {
        item.to_string()
    }

    #[test]
    fn reading_stops_at_a_short_page_or_a_page_of_nothing_new() {
        let mut list = Collected::default();
        assert_eq!(list.add(vec![1, 2], 2, true, id), Next::Ask);
        assert_eq!(list.add(vec![2, 1], 2, true, id), Next::Stop, "nothing new");
        assert_eq!(list.add(vec![3], 2, true, id), Next::Stop, "short page");
        assert_eq!(
            list.add(vec![4, 5], 2, false, id),
            Next::Stop,
            "no next link"
        );
        assert_eq!(list.items, [1, 2, 3, 4, 5]);
    }

    #[test]
    fn reading_stops_at_the_cap() {
        let mut list = Collected::default();
        let page: Vec<u32> = (0..100).collect();
        let mut asks = 0;
        let mut start = 0u32;
        while list.add(page.iter().map(|i| i + start).collect(), 100, true, id) == Next::Ask {
            asks += 1;
            start += 100;
        }
        assert_eq!(list.items.len(), MAX_ITEMS);
        assert_eq!(asks, MAX_ITEMS / 100 - 1);
    }

    #[test]
    fn the_next_offset_is_read_from_the_next_link() {
        let paging = |next: &str| Paging {
            next: Some(next.to_string()),
        };
        let link =
            paging("https://api.opsgenie.com/v2/alerts/x/notes?offset=1492_a&direction=next");
        assert_eq!(offset_in(Some(&link)).as_deref(), Some("1492_a"));
        assert_eq!(offset_in(Some(&paging("string"))), None);
        assert_eq!(offset_in(None), None);
    }
}
