//! What a project's configuration tells the analysis that the source cannot: its own blocking
//! functions and lock types, thresholds, and the suppression policy. Parsed from `concur.toml`
//! by the front end; read by the analysis, the rules and the report.

/// Rule options: project knowledge the rules cannot see in the source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Settings {
    /// Extra functions (canonical paths, `my_crate::io::read_all`) that block the thread.
    pub blocking_functions: Vec<String>,
    /// Extra lock types (canonical paths) that behave like `std::sync::Mutex`: their
    /// constructors (`FairMutex::new(..)`) make blocking locks.
    pub lock_types: Vec<String>,
    /// Loops with a literal trip count at least this big count as heavy (default
    /// [`Settings::DEFAULT_HEAVY_LOOP_BOUND`]).
    pub heavy_loop_bound: Option<u64>,
    /// Whether a suppression comment must give a reason (`-- why`).
    pub require_reason: bool,
    /// Whether rules report in test code too (`include-tests`); by default only the rules
    /// for which test code matters do.
    pub include_tests: bool,
}

impl Settings {
    /// The literal trip count from which a loop is heavy when `heavy-loop-bound` is not set.
    pub const DEFAULT_HEAVY_LOOP_BOUND: u64 = 100_000;

    /// The literal trip count from which a loop is heavy.
    pub fn heavy_loop_bound(&self) -> u128 {
        u128::from(
            self.heavy_loop_bound
                .unwrap_or(Self::DEFAULT_HEAVY_LOOP_BOUND),
        )
    }

    /// The `blocking-functions` entry that names a function known by any of `names` (its
    /// paths: `crate::store::read_all`, `store::read_all`, `my_crate::store::read_all`, and
    /// its bare name `read_all`). An entry is matched as written, without a leading `crate::`,
    /// or as a bare name.
    pub fn blocking_entry(&self, names: &[String]) -> Option<&str> {
        self.blocking_functions
            .iter()
            .find(|entry| {
                let entry = entry.strip_prefix("crate::").unwrap_or(entry);
                names
                    .iter()
                    .any(|name| name.strip_prefix("crate::").unwrap_or(name) == entry)
            })
            .map(String::as_str)
    }

    /// The `lock-types` entry that names the type a constructor path's owner is (as written,
    /// without a leading `crate::`, or by its last segment when the entry is a bare name).
    pub fn lock_type_entry(&self, owner: &str) -> Option<&str> {
        let owner = owner.strip_prefix("crate::").unwrap_or(owner);
        let last = owner.rsplit("::").next().unwrap_or(owner);
        self.lock_types
            .iter()
            .find(|entry| {
                let entry = entry.strip_prefix("crate::").unwrap_or(entry);
                entry == owner || (!entry.contains("::") && entry == last)
            })
            .map(String::as_str)
    }
}
