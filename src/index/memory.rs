//! The build's own memory, stage by stage, as Linux reports it: the peak
//! resident set so far (`VmHWM`) at the end of each stage, and how much of
//! what is resident then is anonymous memory (the build's own data) rather
//! than mapped index files. Elsewhere, nothing. The peak is never reset
//! (`/proc/self/clear_refs` could), as that would hide it from whoever
//! measures the process from outside.

/// Resident memory of the process, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resident {
    /// The peak since the process started.
    pub peak: u64,
    /// Anonymous memory now.
    pub anon: u64,
    /// Mapped files now (the index segments being written and merged).
    pub file: u64,
}

/// The process's resident memory now; `None` where `/proc` does not tell.
pub fn resident() -> Option<Resident> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb = |key: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(key))?;
        let n: u64 = line[key.len()..]
            .trim_start_matches(':')
            .split_whitespace()
            .next()?
            .parse()
            .ok()?;
        Some(n * 1024)
    };
    Some(Resident {
        peak: kb("VmHWM")?,
        anon: kb("RssAnon")?,
        file: kb("RssFile")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_held_shows_as_anonymous_and_in_the_peak() {
        let Some(before) = resident() else {
            eprintln!("skipped: no /proc/self/status here");
            return;
        };
        let held = std::hint::black_box(vec![1u8; 64 << 20]);
        let during = resident().unwrap();
        assert!(
            during.anon >= before.anon + (48 << 20),
            "{before:?} then {during:?}"
        );
        // Linux updates these counters in batches: a few pages either way.
        let slack = 4 << 20;
        assert!(
            during.peak + slack >= during.anon + during.file,
            "{during:?}"
        );
        drop(held);
        let after = resident().unwrap();
        assert!(
            after.anon + (48 << 20) <= during.anon,
            "{during:?} then {after:?}"
        );
        assert!(
            after.peak + slack >= during.anon,
            "{during:?} then {after:?}"
        );
    }
}
