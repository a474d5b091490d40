//! The names a finding can carry: every rule's, and the tool's own diagnostics. This is the one
//! list that says which names exist (the cache reads findings back through [`known`]).

use crate::diagnostic::{Diagnostic, Level};
use crate::rules;
use crate::source::SourceFile;
use crate::syntax::parse::ParseError;

/// A file syn cannot parse.
pub const PARSE_ERROR: &str = "parse_error";

/// A suppression that silences nothing.
pub const UNUSED_SUPPRESSION: &str = "unused_suppression";

/// A suppression naming an unknown rule, or malformed.
pub const INVALID_SUPPRESSION: &str = "invalid_suppression";

/// The tool's own diagnostics: findings no rule makes.
pub const TOOL_NAMES: &[&str] = &[PARSE_ERROR, UNUSED_SUPPRESSION, INVALID_SUPPRESSION];

/// The `&'static` name of a rule or of one of the tool's own diagnostics, if `name` is one.
pub fn known(name: &str) -> Option<&'static str> {
    rules::find(name)
        .map(|rule| rule.name)
        .or_else(|| TOOL_NAMES.iter().copied().find(|n| *n == name))
}

/// The `parse_error` finding for a file (or some of its items) syn could not parse: concur's
/// limit, not necessarily the user's error, so a note unless `parse-errors` raises it.
pub fn parse_error(file: &SourceFile, error: ParseError, level: Level) -> Diagnostic {
    let mut diag = Diagnostic::new(PARSE_ERROR, file.path.clone(), error.span, error.message);
    diag.level = level;
    diag.with_help(
        "concur reads source with syn, which rejects some code rustc accepts: edition-2015 trait \
         objects without `dyn` (`Box<Fn(u8)>`: write `Box<dyn Fn(u8)>`) and items under a \
         `#[cfg]` that is never true; if rustc rejects it too, fix the syntax. `parse-errors = \
         \"warn\"` or `\"deny\"` in concur.toml makes this count",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_and_tool_name_is_known() {
        for rule in rules::RULES {
            assert_eq!(known(rule.name), Some(rule.name));
        }
        for name in TOOL_NAMES {
            assert_eq!(known(name), Some(*name));
        }
        assert_eq!(known("no_such_rule"), None);
    }
}
