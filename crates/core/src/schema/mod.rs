//! Schema as state: one model of a database's schema, read from its
//! catalogs ([`catalog`]), and the differences between two of them, each
//! with the SQL that turns the first into the second ([`compare`]).

pub mod catalog;
pub mod compare;
mod order;
pub mod replay;
pub mod scratch;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;
use tokio_postgres::Client;

/// What an object is. The order is the order of creation: what comes
/// later may depend on what comes earlier (drops go the other way).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Schema,
    Extension,
    Collation,
    Enum,
    Domain,
    Type,
    Range,
    Sequence,
    Function,
    Procedure,
    Aggregate,
    Operator,
    Cast,
    TextSearchDictionary,
    TextSearchConfiguration,
    Table,
    Column,
    SequenceOwner,
    Constraint,
    Index,
    View,
    MaterializedView,
    MaterializedViewIndex,
    Trigger,
    Rule,
    Policy,
    Statistics,
    Publication,
    Comment,
    Grant,
    DefaultPrivileges,
}

impl Kind {
    /// As the catalog reader writes it.
    fn from_label(s: &str) -> Option<Kind> {
        use Kind::*;
        Some(match s {
            "schema" => Schema,
            "extension" => Extension,
            "collation" => Collation,
            "enum" => Enum,
            "domain" => Domain,
            "type" => Type,
            "range" => Range,
            "sequence" => Sequence,
            "function" => Function,
            "procedure" => Procedure,
            "aggregate" => Aggregate,
            "operator" => Operator,
            "cast" => Cast,
            "text search dictionary" => TextSearchDictionary,
            "text search configuration" => TextSearchConfiguration,
            "table" => Table,
            "column" => Column,
            "sequence owner" => SequenceOwner,
            "constraint" => Constraint,
            "index" => Index,
            "view" => View,
            "materialized view" => MaterializedView,
            "materialized view index" => MaterializedViewIndex,
            "trigger" => Trigger,
            "rule" => Rule,
            "policy" => Policy,
            "statistics" => Statistics,
            "publication" => Publication,
            "comment" => Comment,
            "grant" => Grant,
            "default privileges" => DefaultPrivileges,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        use Kind::*;
        match self {
            Schema => "schema",
            Extension => "extension",
            Collation => "collation",
            Enum => "enum",
            Domain => "domain",
            Type => "type",
            Range => "range",
            Sequence => "sequence",
            Function => "function",
            Procedure => "procedure",
            Aggregate => "aggregate",
            Operator => "operator",
            Cast => "cast",
            TextSearchDictionary => "text search dictionary",
            TextSearchConfiguration => "text search configuration",
            Table => "table",
            Column => "column",
            SequenceOwner => "sequence owner",
            Constraint => "constraint",
            Index => "index",
            View => "view",
            MaterializedView => "materialized view",
            MaterializedViewIndex => "materialized view index",
            Trigger => "trigger",
            Rule => "rule",
            Policy => "policy",
            Statistics => "statistics",
            Publication => "publication",
            Comment => "comment",
            Grant => "grant",
            DefaultPrivileges => "default privileges",
        }
    }
}

/// One object of a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object {
    pub kind: Kind,
    /// Qualified and quoted as SQL writes it (`public.orders`,
    /// `public.orders.total`, `public.f(integer)`).
    pub name: String,
    /// The table it belongs to (columns, constraints, indexes, triggers,
    /// rules, policies), else empty.
    pub parent: String,
    /// What is compared: PostgreSQL's own rendering of it.
    pub definition: String,
    /// The SQL that creates it, and the SQL that drops it.
    pub create: String,
    pub drop: String,
    /// Its place among the objects of its kind (creation order).
    pub position: i64,
    /// Its name's parts as PostgreSQL stores them, unquoted, from the
    /// catalog (not recovered from `name`): `[schema, table]`, `[schema,
    /// table, column]`; empty for kinds whose plan never needs them.
    pub parts: Vec<String>,
    /// A table's parents (those it inherits from, in order, or the table
    /// it is a partition of), named as `name` names tables, from the
    /// catalog; else empty.
    pub parents: Vec<String>,
}

/// The catalog's ninth column: the name's parts, and for a table its
/// parents too.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Named {
    Parts(Vec<String>),
    Table {
        parts: Vec<String>,
        parents: Vec<String>,
    },
}

impl Object {
    /// The last part of its name (the bare name), unquoted.
    pub fn bare(&self) -> Option<&str> {
        self.parts.last().map(String::as_str)
    }

    /// Its schema, unquoted.
    pub fn schema(&self) -> Option<&str> {
        self.parts.first().map(String::as_str)
    }
}

/// An object's key: its kind and name.
pub type Key = (Kind, String);

/// A database's schema.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    pub objects: BTreeMap<Key, Object>,
    /// Kinds present but not modelled, with how many: never taken as equal.
    pub not_compared: BTreeMap<String, u64>,
    /// What each object depends on (PostgreSQL's `pg_depend`, between the
    /// objects modelled here).
    pub deps: BTreeMap<Key, BTreeSet<Key>>,
}

impl Schema {
    /// How many objects of each kind.
    pub fn counts(&self) -> BTreeMap<Kind, usize> {
        let mut out = BTreeMap::new();
        for (k, _) in self.objects.keys() {
            *out.entry(*k).or_insert(0) += 1;
        }
        out
    }
}

/// Read a database's schema in one round trip. `own`: tables left out
/// (neonops' history and its progress), as the runner names them.
pub async fn read(client: &Client, own: &[String]) -> Result<Schema, tokio_postgres::Error> {
    let messages = client.simple_query(&catalog::sql(own)).await?;
    Ok(from_rows(crate::rows::text(&messages)))
}

/// [`read`], its error saying whose catalogs could not be read.
pub async fn read_described(client: &Client, own: &[String], what: &str) -> anyhow::Result<Schema> {
    // The server's error stays in the chain (its SQLSTATE with it).
    read(client, own).await.map_err(|e| {
        anyhow::Error::new(crate::connect::ServerError::from(&e))
            .context(format!("reading the catalogs of {what}"))
    })
}

fn from_rows(rows: Vec<Vec<String>>) -> Schema {
    let mut s = Schema::default();
    let mut at: HashMap<String, Key> = HashMap::new();
    let mut edges = Vec::new();
    let mut alias: HashMap<String, String> = HashMap::new();
    for mut r in rows {
        // An optional ninth column: the name's parts (JSON), a table's
        // parents with them.
        let (parts, parents) = match r.len() {
            9 => match serde_json::from_str(&r.pop().unwrap_or_default()) {
                Ok(Named::Parts(p)) => (p, Vec::new()),
                Ok(Named::Table { parts, parents }) => (parts, parents),
                Err(_) => (Vec::new(), Vec::new()),
            },
            _ => (Vec::new(), Vec::new()),
        };
        let [
            label,
            name,
            parent,
            definition,
            create,
            drop,
            position,
            address,
        ] = <[String; 8]>::try_from(r).unwrap_or_default();
        if label == "not compared" {
            s.not_compared
                .insert(name, definition.parse().unwrap_or_default());
            continue;
        }
        if label == "depends" {
            edges.push((name, parent));
            continue;
        }
        if label == "alias" {
            alias.insert(name, parent);
            continue;
        }
        let Some(kind) = Kind::from_label(&label) else {
            continue;
        };
        if !address.is_empty() {
            at.insert(address, (kind, name.clone()));
        }
        s.objects.insert(
            (kind, name.clone()),
            Object {
                kind,
                name,
                parent,
                definition,
                create,
                drop,
                position: position.parse().unwrap_or_default(),
                parts,
                parents,
            },
        );
    }
    // An end as an object's address (an array's element may be a table's
    // row type: a few hops); a column that is not an object of its own (a
    // view's) is its relation.
    let find = |a: &str| {
        let mut a = a.to_string();
        for _ in 0..4 {
            match alias.get(&a) {
                Some(next) => a = next.clone(),
                None => break,
            }
        }
        at.get(&a).cloned().or_else(|| {
            let (rel, sub) = a.rsplit_once('/')?;
            (sub != "0").then(|| at.get(&format!("{rel}/0")).cloned())?
        })
    };
    for (f, t) in edges {
        if let (Some(f), Some(t)) = (find(&f), find(&t))
            && f != t
        {
            s.deps.entry(f).or_default().insert(t);
        }
    }
    s
}
