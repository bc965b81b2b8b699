use crate::error::{Error, Result};

/// Environment variable that sets the default number of threads when none is given.
pub const THREADS_ENV: &str = "THEMATIC_NUM_THREADS";

/// The number of threads a computation asked for with `threads` will use.
///
/// `Some(n)` with `n > 0` wins; otherwise the `THEMATIC_NUM_THREADS` environment variable if
/// it holds a positive integer; otherwise the number of logical CPUs.
pub fn effective_threads(threads: Option<usize>) -> usize {
    if let Some(n) = threads.filter(|&n| n > 0) {
        return n;
    }
    if let Some(n) = std::env::var(THREADS_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
    {
        return n;
    }
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

/// Runs `f` inside a local rayon pool of [`effective_threads`]`(threads)` threads.
///
/// The library never configures rayon's global pool: that belongs to the application. Results
/// must not depend on the thread count; callers reduce in a fixed order to guarantee it.
pub fn with_threads<R, F>(threads: Option<usize>, f: F) -> Result<R>
where
    R: Send,
    F: FnOnce() -> R + Send,
{
    let n = effective_threads(threads);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .thread_name(|i| format!("thematic-{i}"))
        .build()
        .map_err(|e| Error::ThreadPool { threads: n, reason: e.to_string() })?;
    Ok(pool.install(f))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_thread_count_is_used_inside_the_pool() {
        let seen = with_threads(Some(3), rayon::current_num_threads).unwrap();
        assert_eq!(seen, 3);
    }

    #[test]
    fn zero_means_default() {
        assert!(effective_threads(Some(0)) >= 1);
    }
}
