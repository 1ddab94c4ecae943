//! What the runner reads from the server, in its own terms: a reply (a row
//! or a command completed) and the error of a statement the server refused
//! or of a connection that ended. The driver's types are turned into these
//! at the edge, so the runner's reading of a message and its naming of a
//! failure are tested without a server (scripted replies below).

use futures_util::future::LocalBoxFuture;
use futures_util::stream::LocalBoxStream;
use futures_util::{Stream, StreamExt};
use tokio_postgres::SimpleQueryMessage;

pub use crate::connect::ServerError;

/// A message's reply, item by item.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// A row: its first column's name, and its values as text.
    Row {
        first_column: Option<String>,
        values: Vec<Option<String>>,
    },
    /// A statement completed.
    Complete,
}

/// The session the runner sends its messages on. `send` returns once the
/// message is on its way: the replies are read later, so several messages
/// travel together (the pipeline). The real client implements it; tests
/// script one.
pub trait Channel {
    fn send<'a>(&'a self, sql: &'a str) -> LocalBoxFuture<'a, Replies<'a>>;
}

/// A message's replies, read in order.
pub type Replies<'a> = LocalBoxStream<'a, Result<Reply, ServerError>>;

impl Channel for tokio_postgres::Client {
    fn send<'a>(&'a self, sql: &'a str) -> LocalBoxFuture<'a, Replies<'a>> {
        Box::pin(async move { replies(self.simple_query_raw(sql).await).boxed_local() })
    }
}

/// Replies as the rows of each statement (text; NULL as the empty
/// string), a set a statement, up to the first error.
pub async fn row_sets(replies: Replies<'_>) -> Result<Vec<Vec<Vec<String>>>, ServerError> {
    let mut sets = vec![Vec::new()];
    let mut replies = replies;
    while let Some(r) = replies.next().await {
        match r? {
            Reply::Row { values, .. } => sets
                .last_mut()
                .expect("a set")
                .push(values.into_iter().map(Option::unwrap_or_default).collect()),
            Reply::Complete => sets.push(Vec::new()),
        }
    }
    Ok(sets)
}

/// A driver's answer to a message, as replies.
pub fn replies(
    answer: Result<tokio_postgres::SimpleQueryStream, tokio_postgres::Error>,
) -> impl Stream<Item = Result<Reply, ServerError>> {
    let stream = match answer {
        Ok(s) => s.left_stream(),
        Err(e) => futures_util::stream::iter([Err(e)]).right_stream(),
    };
    stream.filter_map(|item| async move {
        match item {
            Ok(SimpleQueryMessage::Row(r)) => Some(Ok(Reply::Row {
                first_column: r.columns().first().map(|c| c.name().to_string()),
                values: (0..r.len()).map(|i| r.get(i).map(str::to_string)).collect(),
            })),
            Ok(SimpleQueryMessage::CommandComplete(_)) => Some(Ok(Reply::Complete)),
            Ok(_) => None,
            Err(e) => Some(Err(ServerError::from(&e))),
        }
    })
}

/// Scripted replies, for tests: what a server would send.
#[cfg(test)]
pub mod scripted {
    use super::*;
    use crate::connect::SqlState;

    pub fn row(first_column: &str, values: &[Option<&str>]) -> Result<Reply, ServerError> {
        Ok(Reply::Row {
            first_column: Some(first_column.to_string()),
            values: values.iter().map(|v| v.map(str::to_string)).collect(),
        })
    }

    pub fn complete() -> Result<Reply, ServerError> {
        Ok(Reply::Complete)
    }

    pub fn refused(state: SqlState, message: &str, position: Option<usize>) -> ServerError {
        ServerError {
            sqlstate: Some(state.code().to_string()),
            message: message.to_string(),
            detail: None,
            position,
            closed: false,
        }
    }

    pub fn stream(
        items: Vec<Result<Reply, ServerError>>,
    ) -> impl Stream<Item = Result<Reply, ServerError>> {
        futures_util::stream::iter(items)
    }

    /// A session that answers each message with the next scripted reply
    /// (`None`: the message is not answered, as after a lost connection),
    /// and keeps what it was sent.
    #[derive(Default)]
    pub struct Scripted {
        pub answers:
            std::cell::RefCell<std::collections::VecDeque<Vec<Result<Reply, ServerError>>>>,
        pub sent: std::cell::RefCell<Vec<String>>,
    }

    impl Scripted {
        pub fn new(answers: Vec<Vec<Result<Reply, ServerError>>>) -> Scripted {
            Scripted {
                answers: std::cell::RefCell::new(answers.into()),
                sent: Default::default(),
            }
        }
    }

    impl Channel for Scripted {
        fn send<'a>(&'a self, sql: &'a str) -> LocalBoxFuture<'a, Replies<'a>> {
            self.sent.borrow_mut().push(sql.to_string());
            let answer = self.answers.borrow_mut().pop_front().unwrap_or_else(|| {
                vec![Err(ServerError {
                    sqlstate: None,
                    message: "connection closed".into(),
                    detail: None,
                    position: None,
                    closed: true,
                })]
            });
            Box::pin(async move { futures_util::stream::iter(answer).boxed_local() })
        }
    }
}
