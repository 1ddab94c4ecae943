//! GitHub Actions workflow commands (`::error file=…,line=…::message`):
//! the one encoder every annotation goes through.
//!
//! The escaping is the Actions toolkit's (`@actions/core`, command.ts):
//! in the message `%`, `\r` and `\n`; in a property value those and also
//! `:` and `,`, which would otherwise end the value (a file named
//! `V1__a,b.sql`, a title `neonops lint: rule`).

use std::fmt;

/// An annotation's level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Notice,
}

impl Level {
    fn command(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Notice => "notice",
        }
    }
}

/// One annotation: where it points, its title and its message.
#[derive(Debug, Clone)]
pub struct Annotation<'a> {
    pub level: Level,
    pub file: Option<&'a str>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub title: &'a str,
    pub message: &'a str,
}

impl<'a> Annotation<'a> {
    pub fn new(level: Level, title: &'a str, message: &'a str) -> Self {
        Annotation {
            level,
            file: None,
            line: None,
            column: None,
            title,
            message,
        }
    }

    /// Points it at a file, and a line and column when known.
    pub fn at(mut self, file: Option<&'a str>, line: Option<usize>, column: Option<usize>) -> Self {
        self.file = file;
        self.line = line;
        self.column = column;
        self
    }
}

fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The workflow command, one line, without its newline.
impl fmt::Display for Annotation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "::{} ", self.level.command())?;
        if let Some(file) = self.file {
            write!(f, "file={},", property(file))?;
        }
        if let Some(l) = self.line {
            write!(f, "line={l},")?;
        }
        if let Some(c) = self.column {
            write!(f, "col={c},")?;
        }
        write!(f, "title={}::{}", property(self.title), data(self.message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_and_message_are_escaped_as_the_actions_toolkit_does() {
        let a = Annotation::new(
            Level::Warning,
            "neonops lint: rule",
            "50% done\r\nnext: a,b",
        )
        .at(Some("migrations/V1__a,b:c%.sql"), Some(3), Some(7));
        assert_eq!(
            a.to_string(),
            "::warning file=migrations/V1__a%2Cb%3Ac%25.sql,line=3,col=7,\
             title=neonops lint%3A rule::50%25 done%0D%0Anext: a,b"
        );
    }

    #[test]
    fn an_annotation_without_a_place_has_only_its_title() {
        let a = Annotation::new(Level::Error, "neonops", "no database URL");
        assert_eq!(a.to_string(), "::error title=neonops::no database URL");
        assert_eq!(
            Annotation::new(Level::Notice, "t", "m").to_string(),
            "::notice title=t::m"
        );
    }
}
