//! PostgreSQL's table lock modes, what each blocks, and the names `pg_locks`
//! uses for them (so a static claim can be compared with a trace).

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LockMode {
    AccessShare,
    RowShare,
    RowExclusive,
    ShareUpdateExclusive,
    Share,
    ShareRowExclusive,
    Exclusive,
    AccessExclusive,
}

impl LockMode {
    /// As the documentation writes it: `ACCESS EXCLUSIVE`.
    pub fn name(self) -> &'static str {
        match self {
            LockMode::AccessShare => "ACCESS SHARE",
            LockMode::RowShare => "ROW SHARE",
            LockMode::RowExclusive => "ROW EXCLUSIVE",
            LockMode::ShareUpdateExclusive => "SHARE UPDATE EXCLUSIVE",
            LockMode::Share => "SHARE",
            LockMode::ShareRowExclusive => "SHARE ROW EXCLUSIVE",
            LockMode::Exclusive => "EXCLUSIVE",
            LockMode::AccessExclusive => "ACCESS EXCLUSIVE",
        }
    }

    /// As `pg_locks.mode` writes it: `AccessExclusiveLock`.
    pub fn pg_locks_name(self) -> &'static str {
        match self {
            LockMode::AccessShare => "AccessShareLock",
            LockMode::RowShare => "RowShareLock",
            LockMode::RowExclusive => "RowExclusiveLock",
            LockMode::ShareUpdateExclusive => "ShareUpdateExclusiveLock",
            LockMode::Share => "ShareLock",
            LockMode::ShareRowExclusive => "ShareRowExclusiveLock",
            LockMode::Exclusive => "ExclusiveLock",
            LockMode::AccessExclusive => "AccessExclusiveLock",
        }
    }

    pub fn from_pg_locks(name: &str) -> Option<LockMode> {
        [
            LockMode::AccessShare,
            LockMode::RowShare,
            LockMode::RowExclusive,
            LockMode::ShareUpdateExclusive,
            LockMode::Share,
            LockMode::ShareRowExclusive,
            LockMode::Exclusive,
            LockMode::AccessExclusive,
        ]
        .into_iter()
        .find(|m| m.pg_locks_name() == name)
    }

    /// LOCK TABLE's modes, by their number in PostgreSQL's lockdefs.h.
    pub fn from_number(n: i32) -> Option<LockMode> {
        Some(match n {
            1 => LockMode::AccessShare,
            2 => LockMode::RowShare,
            3 => LockMode::RowExclusive,
            4 => LockMode::ShareUpdateExclusive,
            5 => LockMode::Share,
            6 => LockMode::ShareRowExclusive,
            7 => LockMode::Exclusive,
            8 => LockMode::AccessExclusive,
            _ => return None,
        })
    }

    /// Plain SELECTs wait (they take ACCESS SHARE).
    pub fn blocks_reads(self) -> bool {
        self == LockMode::AccessExclusive
    }

    /// INSERT, UPDATE and DELETE wait (they take ROW EXCLUSIVE).
    pub fn blocks_writes(self) -> bool {
        self >= LockMode::Share
    }

    /// What it blocks, in words.
    pub fn blocks(self) -> &'static str {
        if self.blocks_reads() {
            "reads and writes"
        } else if self.blocks_writes() {
            "writes"
        } else {
            "nothing of ordinary traffic"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_each_mode_blocks() {
        assert_eq!(LockMode::AccessExclusive.blocks(), "reads and writes");
        assert_eq!(LockMode::Share.blocks(), "writes");
        assert_eq!(LockMode::ShareRowExclusive.blocks(), "writes");
        assert_eq!(
            LockMode::ShareUpdateExclusive.blocks(),
            "nothing of ordinary traffic"
        );
        assert_eq!(LockMode::from_pg_locks("ShareLock"), Some(LockMode::Share));
    }
}
