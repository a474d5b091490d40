//! What the rule table is made of besides the rules: the categories rules belong to.

pub mod category;
