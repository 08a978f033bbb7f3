//! Edition-only content: which top-level blocks each edition carries.

use super::model::Block;

/// One restriction on a block, from a marked heading's section or a marked run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// Shown only in editions with one of these names or classes.
    Only(Vec<String>),
    /// Left out of editions with any of these names or classes.
    Not(Vec<String>),
}

impl Rule {
    fn allows(&self, names: &[&str]) -> bool {
        let hit = |list: &Vec<String>| list.iter().any(|n| names.contains(&n.as_str()));
        match self {
            Rule::Only(list) => hit(list),
            Rule::Not(list) => !hit(list),
        }
    }
}

/// A top-level block with the rules that apply to it (all must allow it).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub block: Block,
    pub rules: Vec<Rule>,
}

impl Node {
    /// Whether an edition called `edition`, with `classes`, carries this block.
    pub fn shown_in(&self, edition: &str, classes: &[String]) -> bool {
        let mut names: Vec<&str> = classes.iter().map(String::as_str).collect();
        names.push(edition);
        self.rules.iter().all(|r| r.allows(&names))
    }
}
