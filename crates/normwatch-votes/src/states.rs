//! The states a vote byte stands for, and how a dataset's label for a state becomes one of
//! them on the date of a vote.
//!
//! The columns of every roll call are the rows of `kb/states.csv`
//! ([`StateRegistry::global`]) in its order. Datasets keep using a label after the seat it
//! names changed hands: unvotes writes Yugoslavia/YU until 2019, the scrape writes USSR on
//! 31 December 1991. [`States::on`] moves such a vote to the state that held the seat on
//! that date, using only what the table records: a state that had left the UN passes to
//! its `successor`, or else to a state admitted on the day it left (the narrowest such
//! membership first, so Yugoslavia's label becomes Serbia and Montenegro in 2005 and Serbia
//! in 2010).

use std::collections::HashMap;
use std::sync::LazyLock;

use normwatch_core::Iso3;
use normwatch_core::domain::Date;
use normwatch_core::state::{StateInfo, StateRegistry};

/// The state table as vote columns.
#[derive(Debug)]
pub struct States {
    infos: &'static [StateInfo],
    index: HashMap<Iso3, usize>,
    successor: Vec<Option<usize>>,
    /// For each state, the states admitted on the day it left.
    replacements: Vec<Vec<usize>>,
}

static STATES: LazyLock<States> = LazyLock::new(|| States::new(StateRegistry::global()));

/// The state columns of the embedded state table.
pub fn states() -> &'static States {
    &STATES
}

impl States {
    fn new(registry: &'static StateRegistry) -> States {
        let infos = registry.all();
        let index: HashMap<Iso3, usize> = infos.iter().enumerate().map(|(i, s)| (s.iso3, i)).collect();
        let successor = infos.iter().map(|s| s.successor.and_then(|code| index.get(&code).copied())).collect();
        let replacements = infos
            .iter()
            .map(|left| match left.member_to {
                None => Vec::new(),
                Some(to) => infos
                    .iter()
                    .enumerate()
                    .filter(|(_, other)| other.iso3 != left.iso3 && other.member_from == Some(to))
                    .map(|(i, _)| i)
                    .collect(),
            })
            .collect();
        States { infos, index, successor, replacements }
    }

    /// The number of columns (states).
    pub fn len(&self) -> usize {
        self.infos.len()
    }

    pub fn is_empty(&self) -> bool {
        self.infos.is_empty()
    }

    pub fn info(&self, column: usize) -> &'static StateInfo {
        &self.infos[column]
    }

    pub fn iso3(&self, column: usize) -> Iso3 {
        self.infos[column].iso3
    }

    /// The column of a state.
    pub fn index(&self, iso3: Iso3) -> Option<usize> {
        self.index.get(&iso3).copied()
    }

    /// The column for any label a dataset uses: ISO3, ISO2 (`NA` is Namibia) or a name.
    pub fn lookup(&self, label: &str) -> Option<usize> {
        StateRegistry::global().lookup(label).and_then(|s| self.index(s.iso3))
    }

    /// The column for an ISO2 code only.
    pub fn lookup_iso2(&self, code: &str) -> Option<usize> {
        StateRegistry::global().lookup_iso2(code).and_then(|s| self.index(s.iso3))
    }

    /// The column for a name only (dataset columns headed by names).
    pub fn lookup_name(&self, name: &str) -> Option<usize> {
        StateRegistry::global().lookup_name(name).and_then(|s| self.index(s.iso3))
    }

    /// Whether a column can ever move on some date (most never do).
    pub fn may_move(&self, column: usize) -> bool {
        self.infos[column].member_to.is_some()
    }

    /// The column that held the seat on `date`, for a vote a dataset labels `column`.
    pub fn on(&self, column: usize, date: Date) -> usize {
        let mut current = column;
        // The table's chains are short; the bound only guards against a cycle.
        for _ in 0..8 {
            let info = &self.infos[current];
            match info.member_to {
                Some(to) if date >= to => {}
                _ => return current,
            }
            if let Some(next) = self.successor[current] {
                current = next;
                continue;
            }
            let next = self.replacements[current]
                .iter()
                .copied()
                .filter(|&i| self.infos[i].member_on(date))
                .min_by_key(|&i| (self.infos[i].member_to.is_none(), self.infos[i].member_to));
            match next {
                Some(next) => current = next,
                None => return current,
            }
        }
        current
    }

    /// The last holder of a seat (following successors): USSR and Russia, the Republic
    /// of China and China, share one. Used to compare datasets that label a seat
    /// differently.
    pub fn seat(&self, column: usize) -> usize {
        let mut current = column;
        for _ in 0..8 {
            match self.successor[current] {
                Some(next) => current = next,
                None => return current,
            }
        }
        current
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(code: &str) -> usize {
        states().index(Iso3::parse(code).unwrap()).unwrap()
    }

    fn date(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn labels_resolve_by_code_and_name() {
        let s = states();
        assert_eq!(s.lookup_iso2("NA"), Some(col("NAM")));
        assert_eq!(s.lookup("United States"), Some(col("USA")));
        assert_eq!(s.lookup_name(" UNITED STATES"), Some(col("USA")));
        assert_eq!(s.lookup_name("Federal Republic of Germany"), Some(col("DEU")));
        assert_eq!(s.lookup_name("TKAZAKHSTAN"), Some(col("KAZ")));
        assert_eq!(s.lookup_name("Atlantis"), None);
    }

    #[test]
    fn a_label_moves_to_the_state_holding_the_seat() {
        let s = states();
        let yug = col("YUG");
        assert_eq!(s.on(yug, date("1990-01-01")), yug);
        assert_eq!(s.on(yug, date("2005-12-08")), col("SCG"));
        assert_eq!(s.on(yug, date("2018-12-05")), col("SRB"));
        assert_eq!(s.on(col("SUN"), date("1991-12-31")), col("RUS"));
        assert_eq!(s.on(col("SUN"), date("1980-01-01")), col("SUN"));
        assert_eq!(s.on(col("USA"), date("2005-12-08")), col("USA"));
        assert_eq!(s.seat(col("TWN")), col("CHN"));
        assert_eq!(s.seat(col("USA")), col("USA"));
    }
}
